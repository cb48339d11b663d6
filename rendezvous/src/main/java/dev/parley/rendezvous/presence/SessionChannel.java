package dev.parley.rendezvous.presence;

/** The transport under a session (a WebSocket in production): what presence and relay need of it. */
public interface SessionChannel {
    /** Queues a text frame; never blocks. */
    void send(String text);

    void ping();

    void close(short code, String reason);
}
