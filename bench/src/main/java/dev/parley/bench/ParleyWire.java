package dev.parley.bench;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A load-generator session with the rendezvous that speaks the protocol from {@code common}
 * directly (no node in between): HTTPS login, then the WebSocket session. Frames from the server
 * are decoded and handed to a listener on the HTTP client's threads; sends are queued so that at
 * most one is in flight, as the JDK WebSocket requires.
 */
final class ParleyWire {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ProtocolCodec CODEC = new ProtocolCodec();

    private final WebSocket socket;
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private ParleyWire(WebSocket socket) {
        this.socket = socket;
    }

    /** One client for many sessions: its selector thread serves them all. */
    static HttpClient http() {
        try {
            return HttpClient.newBuilder().sslContext(TrustAnything.context("TLS", null)).connectTimeout(TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1).build();
        } catch (Exception e) {
            throw new IllegalStateException("no TLS context: " + e, e);
        }
    }

    /** Logs in over HTTPS; completes with the session token. */
    static CompletableFuture<String> login(HttpClient http, int port, String user, String password) {
        String body = CODEC.encode(new Api.Credentials(user, password));
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + Api.LOGIN))
                .header("Content-Type", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("login of " + user + " failed: HTTP " + r.statusCode() + " " + r.body());
            }
            try {
                return CODEC.mapper().readValue(r.body(), Api.LoginResult.class).token();
            } catch (Exception e) {
                throw new IllegalStateException("unreadable login answer: " + r.body(), e);
            }
        });
    }

    /** Opens the session; every server frame goes to {@code onMessage} (in order, one at a time). */
    static CompletableFuture<ParleyWire> open(HttpClient http, int port, String token, Consumer<ServerMessage> onMessage) {
        return http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(TIMEOUT)
                .buildAsync(URI.create("wss://127.0.0.1:" + port + Api.SESSION), new Listener(onMessage))
                .thenApply(ParleyWire::new);
    }

    /** Queues one message; sends never overlap. */
    synchronized void send(ClientMessage message) {
        String frame = CODEC.encode(message);
        lastSend = lastSend.thenCompose(x -> socket.sendText(frame, true));
    }

    /** Completes when everything queued so far has been written. */
    synchronized CompletableFuture<?> flushed() {
        return lastSend;
    }

    /** A normal close, without waiting for the server's answer. */
    synchronized void close() {
        lastSend = lastSend.handle((x, e) -> null).thenCompose(x -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                .whenComplete((x, e) -> {
                    if (e != null) {
                        socket.abort();
                    }
                });
    }

    void abort() {
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final Consumer<ServerMessage> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(Consumer<ServerMessage> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (CODEC.decodeServer(text) instanceof ProtocolCodec.Decoded.Accepted<ServerMessage> ok) {
                    onMessage.accept(ok.message());
                } else {
                    throw new IllegalStateException("unreadable frame from the server: " + text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
