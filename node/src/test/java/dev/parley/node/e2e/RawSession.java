package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A user played by the test itself, without a node: logged in over HTTP, with a raw WebSocket
 * session, so it can send what no honest node would (control characters in a message, addresses
 * of the test's choosing) and read what the server pushes to it.
 */
final class RawSession implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private final ProtocolCodec codec = new ProtocolCodec();
    private final LinkedBlockingQueue<ServerMessage> inbox;
    private final WebSocket ws;

    private RawSession(WebSocket ws, LinkedBlockingQueue<ServerMessage> inbox) {
        this.ws = ws;
        this.inbox = inbox;
    }

    /** Logs in as a seeded user and waits for the session's welcome. */
    static RawSession login(ServerProcess server, String user) throws Exception {
        ProtocolCodec codec = new ProtocolCodec();
        HttpClient http = HttpClient.newBuilder().sslContext(ServerProcess.pinning(server.fingerprint))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(server.url() + Api.LOGIN))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(codec.encode(new Api.Credentials(user, Nodes.password(user)))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String token = codec.mapper().readValue(login.body(), Api.LoginResult.class).token();
        LinkedBlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(server.url().replaceFirst("^https", "wss") + Api.SESSION), new Collect(codec, inbox))
                .get(10, TimeUnit.SECONDS);
        RawSession session = new RawSession(ws, inbox);
        session.await(ServerMessage.Welcome.class);
        return session;
    }

    /** Sends a request as JSON text. */
    void send(ClientMessage message) throws InterruptedException, ExecutionException, TimeoutException {
        ws.sendText(codec.encode(message), true).get(10, TimeUnit.SECONDS);
    }

    /** Waits for the next push or reply of this type, skipping others; fails on an error from the server. */
    <T extends ServerMessage> T await(Class<T> type) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            ServerMessage m = inbox.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (type.isInstance(m)) {
                return type.cast(m);
            }
            if (m instanceof ServerMessage.Error e) {
                throw new AssertionError("the server refused: " + e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " from the server in " + DEADLINE);
    }

    @Override
    public void close() {
        ws.abort();
    }

    private static final class Collect implements WebSocket.Listener {
        private final ProtocolCodec codec;
        private final LinkedBlockingQueue<ServerMessage> inbox;
        private final StringBuilder partial = new StringBuilder();

        Collect(ProtocolCodec codec, LinkedBlockingQueue<ServerMessage> inbox) {
            this.codec = codec;
            this.inbox = inbox;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (codec.decodeServer(partial.toString()) instanceof ProtocolCodec.Decoded.Accepted<ServerMessage> a) {
                    inbox.add(a.message());
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
