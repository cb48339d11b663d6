package dev.parley.rendezvous.presence;

import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import java.util.concurrent.atomic.AtomicBoolean;

/** One logged-in user's open session: identity and liveness times (where delivery has got to is the relay's {@code Delivery}). */
public final class ChatSession {
    private final String key;
    private final String username;
    private final SessionOutbox channel;
    private final ProtocolCodec codec;
    private final String remoteHost;
    private final AtomicBoolean ended = new AtomicBoolean();
    // Liveness runs on the monotonic clock: a wall-clock jump must not drop every session at once.
    private volatile long lastHeardNanos;
    private volatile long lastPingNanos;
    private volatile long lastCommand;

    /** When the session opened, on the server's clock: what was sent before it had waited offline. */
    private final long openedAt;

    public ChatSession(String key, String username, SessionChannel channel, ProtocolCodec codec, long now,
            String remoteHost) {
        this.key = key;
        this.username = username;
        this.channel = new SessionOutbox(channel);
        this.codec = codec;
        this.remoteHost = remoteHost;
        this.lastCommand = now;
        this.openedAt = now;
        this.lastHeardNanos = System.nanoTime();
        this.lastPingNanos = lastHeardNanos;
    }

    public String key() {
        return key;
    }

    public String username() {
        return username;
    }

    /** The address the node's connection comes from, as the server sees it (after any NAT). */
    public String remoteHost() {
        return remoteHost;
    }

    public void send(ServerMessage message) {
        if (!ended.get() || message instanceof ServerMessage.Closing) {
            channel.send(codec.encode(message));
        }
    }

    /** Another user's login or logout: leaves with the others that come before the transport's next turn. */
    void notice(PresenceFrames.Notice notice) {
        if (!ended.get()) {
            channel.notice(notice);
        }
    }

    /** Any frame from the node, heartbeat or not, proves it alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** A user command, at {@code now} on the server's clock: resets the idle timer. */
    public void commanded(long now) {
        heard();
        lastCommand = now;
    }

    /** Nanoseconds (monotonic) since the node was last heard from. */
    long silentNanos(long nanoNow) {
        return nanoNow - lastHeardNanos;
    }

    public long lastCommand() {
        return lastCommand;
    }

    /**
     * Pings the node if it has been silent for {@code silenceNanos}, at most once in that time: a
     * node that sends anything (its answers to pings, its requests) needs no ping of ours.
     */
    void pingIfSilent(long nanoNow, long silenceNanos) {
        if (nanoNow - lastHeardNanos >= silenceNanos && nanoNow - lastPingNanos >= silenceNanos) {
            lastPingNanos = nanoNow;
            channel.ping();
        }
    }

    /** True exactly once: the caller that ends the session does the clean-up. */
    boolean markEnded() {
        return ended.compareAndSet(false, true);
    }

    public boolean isEnded() {
        return ended.get();
    }

    void close(short code, String reason) {
        channel.close(code, reason);
    }

    public long openedAt() {
        return openedAt;
    }

    @Override
    public String toString() {
        return "ChatSession[" + username + "]";
    }
}
