package dev.parley.bench;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.TrustAnything;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
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

    /** Complete once the handshake is done; frames (and replies to them) can come before that. */
    private final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
    private CompletableFuture<?> lastSend = socket;

    private ParleyWire() {
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

    /**
     * Logs in over HTTPS; completes with the session token. A {@code 503 retry-later} (the server's
     * password-hash gate is full, which many parallel logins on a small machine reach) is asked
     * again after the delay the server names, a bounded number of times, as the node does.
     */
    static CompletableFuture<String> login(HttpClient http, int port, String user, String password) {
        return login(http, port, user, password, MAX_LOGIN_ATTEMPTS);
    }

    private static final int MAX_LOGIN_ATTEMPTS = 30;

    private static CompletableFuture<String> login(HttpClient http, int port, String user, String password, int attemptsLeft) {
        String body = CODEC.encode(new Api.Credentials(user, password));
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + Api.LOGIN))
                .header("Content-Type", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
            if (r.statusCode() == 503 && attemptsLeft > 1) {
                long seconds = Math.max(1, Math.min(5, r.headers().firstValueAsLong("Retry-After").orElse(1)));
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
                        .thenCompose(x -> login(http, port, user, password, attemptsLeft - 1));
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("login of " + user + " failed: HTTP " + r.statusCode() + " " + r.body());
            }
            try {
                return CompletableFuture.completedFuture(CODEC.mapper().readValue(r.body(), Api.LoginResult.class).token());
            } catch (Exception e) {
                throw new IllegalStateException("unreadable login answer: " + r.body(), e);
            }
        });
    }

    /** Opens the session; every server frame goes to {@code onMessage} (in order, one at a time). */
    static CompletableFuture<ParleyWire> open(HttpClient http, int port, String token, Consumer<ServerMessage> onMessage) {
        return openRaw(http, port, token, (wire, text) -> onMessage.accept(decode(text)));
    }

    /** Like the above, for listeners that answer on the same session (e.g. acknowledge). */
    static CompletableFuture<ParleyWire> open(HttpClient http, int port, String token,
            BiConsumer<ParleyWire, ServerMessage> onMessage) {
        return openRaw(http, port, token, (wire, text) -> onMessage.accept(wire, decode(text)));
    }

    /**
     * Like {@link #open} but hands over the frames' text undecoded, for load generators that
     * must look at very many frames cheaply (and {@link #decode} only the ones they need).
     */
    static CompletableFuture<ParleyWire> openRaw(HttpClient http, int port, String token, BiConsumer<ParleyWire, String> onFrame) {
        ParleyWire wire = new ParleyWire();
        http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(TIMEOUT)
                .buildAsync(URI.create("wss://127.0.0.1:" + port + Api.SESSION), new Listener(text -> onFrame.accept(wire, text)))
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        wire.socket.completeExceptionally(e);
                    } else {
                        wire.socket.complete(ws);
                    }
                });
        return wire.socket.thenApply(ws -> wire);
    }

    static ServerMessage decode(String frame) {
        if (CODEC.decodeServer(frame) instanceof ProtocolCodec.Decoded.Accepted<ServerMessage> ok) {
            return ok.message();
        }
        throw new IllegalStateException("unreadable frame from the server: " + frame);
    }

    /** Queues one message; sends never overlap. */
    synchronized void send(ClientMessage message) {
        String frame = CODEC.encode(message);
        lastSend = lastSend.thenCompose(x -> socket.join().sendText(frame, true));
    }

    /** A normal close, without waiting for the server's answer. */
    synchronized void close() {
        lastSend = lastSend.handle((x, e) -> null).thenCompose(x -> socket.join().sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                .whenComplete((x, e) -> {
                    if (e != null) {
                        abort();
                    }
                });
    }

    void abort() {
        socket.thenAccept(WebSocket::abort);
    }

    private static final class Listener implements WebSocket.Listener {
        private final Consumer<String> onFrame;
        private final StringBuilder partial = new StringBuilder();

        Listener(Consumer<String> onFrame) {
            this.onFrame = onFrame;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onFrame.accept(text);
            }
            webSocket.request(1);
            return null;
        }
    }
}
