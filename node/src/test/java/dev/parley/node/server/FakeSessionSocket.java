package dev.parley.node.server;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.time.ManualNodeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A stand-in for the session's connection: keeps what the session writes, and lets the test play
 * the server (send it frames, close it). Everything runs on the test's thread.
 */
final class FakeSessionSocket implements SessionSocket {
    private final ProtocolCodec codec;
    private final List<ClientMessage> written = new ArrayList<>();
    private Consumer<String> frames = f -> { };
    private Runnable closedHandler = () -> { };
    private Runnable pinged = () -> { };
    private boolean closed;
    /** Writes from now on fail, as on a connection that is going down. */
    private boolean failWrites;
    private Short closeStatus;

    FakeSessionSocket(ProtocolCodec codec) {
        this.codec = codec;
    }

    /** The server sends {@code message}. */
    void receive(ServerMessage message) {
        frames.accept(codec.encode(message));
    }

    /** The server sends a WebSocket ping (the transport answers it). */
    void ping() {
        pinged.run();
    }

    /** The connection ends, as when the server goes away. */
    void drop() {
        if (!closed) {
            closed = true;
            closedHandler.run();
        }
    }

    void failWrites() {
        failWrites = true;
    }

    /** What the session wrote, pings included. */
    List<ClientMessage> written() {
        return List.copyOf(written);
    }

    /** What the session wrote apart from pings. */
    List<ClientMessage> requests() {
        return written.stream().filter(m -> !(m instanceof ClientMessage.Ping)).toList();
    }

    boolean closed() {
        return closed;
    }

    Short closeStatus() {
        return closeStatus;
    }

    @Override
    public void onText(Consumer<String> frames) {
        this.frames = frames;
    }

    @Override
    public void onPing(Runnable pinged) {
        this.pinged = pinged;
    }

    @Override
    public void onClose(Runnable closed) {
        this.closedHandler = closed;
    }

    @Override
    public Future<Void> write(String frame) {
        if (closed || failWrites) {
            return Future.failedFuture("connection closed");
        }
        written.add(((ProtocolCodec.Decoded.Accepted<ClientMessage>) codec.decodeClient(frame)).message());
        return Future.succeededFuture();
    }

    @Override
    public void close() {
        drop();
    }

    @Override
    public void close(short status, String reason) {
        closeStatus = status;
        drop();
    }

    /** A dialer whose every attempt the test answers: with a socket, or a failure. */
    static final class Dialer implements SessionSocket.Dialer {
        private final List<Promise<SessionSocket>> attempts = new ArrayList<>();
        private final List<String> tokens = new ArrayList<>();
        private final ManualNodeClock clock;
        private final List<Long> atNanos = new ArrayList<>();
        /** Every attempt fails at once, as against a server that is down. */
        private boolean unreachable;

        Dialer(ManualNodeClock clock) {
            this.clock = clock;
        }

        @Override
        public Future<SessionSocket> open(String token) {
            Promise<SessionSocket> attempt = Promise.promise();
            attempts.add(attempt);
            tokens.add(token);
            atNanos.add(clock.nanoTime());
            if (unreachable) {
                attempt.fail(new ConnectException("Connection refused"));
            }
            return attempt.future();
        }

        /** From now on every attempt fails at once. */
        void unreachable() {
            unreachable = true;
        }

        int attempts() {
            return attempts.size();
        }

        /** When each attempt was made, on the test's clock. */
        List<Long> atNanos() {
            return List.copyOf(atNanos);
        }

        List<String> tokens() {
            return List.copyOf(tokens);
        }

        /** Answers the latest attempt with a new connection. */
        FakeSessionSocket connect(ProtocolCodec codec) {
            FakeSessionSocket socket = new FakeSessionSocket(codec);
            attempts.get(attempts.size() - 1).complete(socket);
            return socket;
        }

        /** The latest attempt fails, as when the server is unreachable. */
        void refuse() {
            attempts.get(attempts.size() - 1).fail(new ConnectException("Connection refused"));
        }
    }
}
