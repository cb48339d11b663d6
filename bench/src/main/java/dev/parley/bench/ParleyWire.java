package dev.parley.bench;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.Login;
import dev.parley.testsupport.SessionSocket;
import dev.parley.testsupport.TrustAnything;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The load generators' sessions with the rendezvous, speaking the protocol from {@code common}
 * directly (no node in between): the test kit's {@link Login} over HTTPS, then its {@link
 * SessionSocket}, whose frames go to a listener on the HTTP client's threads as they come. (The
 * tests' {@code SessionClient} keeps an inbox and waits on each send; a load generator does
 * neither, so it uses the socket underneath.) What the bench adds: one HTTP/1.1 client for many
 * sessions, trusting the server it just started, and the server's address from its port.
 */
final class ParleyWire {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ParleyWire() {
    }

    /** One client for many sessions: its selector thread serves them all. */
    static HttpClient http() {
        return HttpClient.newBuilder().sslContext(TrustAnything.context("TLS", null)).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Logs in over HTTPS; completes with the session token (a {@code 503 retry-later} is asked again). */
    static CompletableFuture<String> login(HttpClient http, int port, String user, String password) {
        return Login.token(http, URI.create("https://127.0.0.1:" + port), user, password);
    }

    /** Opens the session; every server frame goes to {@code onMessage} (in order, one at a time). */
    static CompletableFuture<SessionSocket> open(HttpClient http, int port, String token, Consumer<ServerMessage> onMessage) {
        return openRaw(http, port, token, (socket, text) -> onMessage.accept(decode(text)));
    }

    /** Like the above, for listeners that answer on the same session (e.g. acknowledge). */
    static CompletableFuture<SessionSocket> open(HttpClient http, int port, String token,
            BiConsumer<SessionSocket, ServerMessage> onMessage) {
        return openRaw(http, port, token, (socket, text) -> onMessage.accept(socket, decode(text)));
    }

    /**
     * Like {@link #open} but hands over the frames' text undecoded, for load generators that
     * must look at very many frames cheaply (and {@link #decode} only the ones they need).
     */
    static CompletableFuture<SessionSocket> openRaw(HttpClient http, int port, String token, SessionSocket.Frames onFrame) {
        return SessionSocket.open(http, URI.create("wss://127.0.0.1:" + port + Api.SESSION), token, TIMEOUT, onFrame);
    }

    static ServerMessage decode(String frame) {
        return SessionSocket.decode(frame);
    }
}
