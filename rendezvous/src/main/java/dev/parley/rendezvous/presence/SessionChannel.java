package dev.parley.rendezvous.presence;

/** The transport under a session (a WebSocket in production): what presence and relay need of it. */
public interface SessionChannel {
    /**
     * Queues a text frame; never blocks. A frame that would take the queue past its bound is not
     * sent, and the channel reports the overflow (once) to whoever owns the session.
     */
    void send(String text);

    void ping();

    /**
     * Runs {@code task} on the transport's own thread after what it is doing now (the connection's
     * event loop): where a session's presence notices are flushed, once per turn.
     */
    void runOnTransport(Runnable task);

    void close(short code, String reason);
}
