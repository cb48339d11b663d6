package dev.parley.testsupport;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The WebSocket session with the rendezvous ({@code /api/session}), as the JDK's client opens it
 * with a bearer token: each whole text frame the server sends goes to a {@link Frames} listener,
 * in order, on the HTTP client's threads; sends are queued so that at most one is in flight, as
 * the JDK WebSocket requires. The one socket under the tests' {@link SessionClient} and the
 * bench's load generators, which take frames as they come and never wait on a send.
 */
public final class SessionSocket {
    private static final ProtocolCodec CODEC = new ProtocolCodec();

    /** What the server sends; both are called on the HTTP client's threads. */
    public interface Frames {
        /** One whole text frame, in the order received. */
        void onFrame(SessionSocket socket, String text);

        /** The server closed the session ({@code status}), or the connection failed ({@code -1}). */
        default void onClose(int status, String reason) {
        }
    }

    /** Complete once the handshake is done; frames (and replies to them) can come before that. */
    private final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
    private CompletableFuture<?> lastSend = socket;

    private SessionSocket() {
    }

    /**
     * Opens a session at {@code uri} (ws:// or wss://) with the token ({@code null}: no
     * {@code Authorization} header at all); completes once the server has upgraded the connection.
     */
    public static CompletableFuture<SessionSocket> open(HttpClient http, URI uri, String token, Duration timeout, Frames frames) {
        SessionSocket session = new SessionSocket();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        builder.buildAsync(uri, session.new Listener(frames)).whenComplete((ws, e) -> {
            if (e != null) {
                session.socket.completeExceptionally(e);
            } else {
                session.socket.complete(ws);
            }
        });
        return session.socket.thenApply(ws -> session);
    }

    /** Queues one request, encoded as the protocol says. */
    public CompletableFuture<?> send(ClientMessage message) {
        return sendText(CODEC.encode(message));
    }

    /** Queues one text frame as it is. */
    public synchronized CompletableFuture<?> sendText(String frame) {
        lastSend = lastSend.thenCompose(x -> socket.join().sendText(frame, true));
        return lastSend;
    }

    /** Queues one binary frame (which the protocol does not have). */
    public synchronized CompletableFuture<?> sendBinary(byte[] data) {
        lastSend = lastSend.thenCompose(x -> socket.join().sendBinary(ByteBuffer.wrap(data), true));
        return lastSend;
    }

    /** A normal close after whatever was queued, without waiting for the server's answer; aborts if it cannot be sent. */
    public synchronized CompletableFuture<?> close() {
        lastSend = lastSend.handle((x, e) -> null).thenCompose(x -> socket.join().sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                .whenComplete((x, e) -> {
                    if (e != null) {
                        abort();
                    }
                });
        return lastSend;
    }

    /** Drops the connection at once. */
    public void abort() {
        socket.thenAccept(WebSocket::abort);
    }

    /** The codec the session speaks. */
    public static ProtocolCodec codec() {
        return CODEC;
    }

    /** One frame from the server, decoded; throws if it is not one. */
    public static ServerMessage decode(String frame) {
        if (CODEC.decodeServer(frame) instanceof ProtocolCodec.Decoded.Accepted<ServerMessage> ok) {
            return ok.message();
        }
        throw new IllegalStateException("unreadable frame from the server: " + frame);
    }

    private final class Listener implements WebSocket.Listener {
        private final Frames frames;
        private final StringBuilder partial = new StringBuilder();

        Listener(Frames frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                frames.onFrame(SessionSocket.this, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.onClose(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.onClose(-1, error.toString());
        }
    }
}
