package dev.parley.rendezvous.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client of the session endpoint (the JDK's), decoding what arrives with the
 * shared codec. Assertions wait for the expected frame with a deadline; none sleeps.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ProtocolCodec codec = new ProtocolCodec();
    private final List<ServerMessage> inbox = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String name;
    private WebSocket socket;

    private WsClient(String name) {
        this.name = name;
    }

    /** Opens a session with the token; the server's answer (welcome or error) is in the inbox. */
    public static WsClient connect(URI base, String name, String token) {
        WsClient client = new WsClient(name);
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + Api.SESSION);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(DEADLINE);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        client.socket = builder.buildAsync(uri, client.new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    /** Registers nobody: logs an existing user in and opens the session, waiting for the welcome. */
    public static WsClient login(URI base, String username) {
        WsClient client = connect(base, username, Users.login(username));
        client.await(ServerMessage.Welcome.class, w -> true);
        return client;
    }

    public String name() {
        return name;
    }

    public String nextId() {
        return name + "#" + ids.incrementAndGet();
    }

    public void send(ClientMessage message) {
        sendRaw(codec.encode(message));
    }

    public void sendRaw(String frame) {
        socket.sendText(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Waits for (and takes out of the inbox) the first message of the type that matches. */
    public <T extends ServerMessage> T await(Class<T> type, Predicate<T> match) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        synchronized (inbox) {
            while (true) {
                for (Iterator<ServerMessage> it = inbox.iterator(); it.hasNext(); ) {
                    ServerMessage m = it.next();
                    if (type.isInstance(m) && match.test(type.cast(m))) {
                        it.remove();
                        return type.cast(m);
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return fail(name + " did not receive a " + type.getSimpleName() + " in time; inbox: " + inbox);
                }
                try {
                    inbox.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return fail("interrupted");
                }
            }
        }
    }

    /** Whether a matching message has arrived by now (it stays in the inbox); does not wait. */
    public <T extends ServerMessage> boolean hasReceived(Class<T> type, Predicate<T> match) {
        synchronized (inbox) {
            return inbox.stream().anyMatch(m -> type.isInstance(m) && match.test(type.cast(m)));
        }
    }

    /** The reply to a request with this id, of the given type. */
    public <T extends ServerMessage> T reply(Class<T> type, String id) {
        return await(type, m -> m instanceof ServerMessage.Reply r && id.equals(r.re()));
    }

    public ServerMessage.Error error(String id) {
        return reply(ServerMessage.Error.class, id);
    }

    /**
     * A barrier: once the server has answered a ping sent now, everything it queued for this
     * client before has arrived too.
     */
    public void sync() {
        String id = nextId();
        send(new ClientMessage.Ping(id));
        reply(ServerMessage.Pong.class, id);
    }

    /** After a {@link #sync()}, asserts nothing matching arrived. */
    public <T extends ServerMessage> void assertNone(Class<T> type, Predicate<T> match) {
        sync();
        synchronized (inbox) {
            for (ServerMessage m : inbox) {
                if (type.isInstance(m) && match.test(type.cast(m))) {
                    fail(name + " received what it should not have: " + m);
                }
            }
        }
    }

    /** Waits for the server to close the connection; returns the close code. */
    public int awaitClosed() {
        try {
            return closed.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            return fail(name + " was not closed by the server in time");
        }
    }

    public void assertOpen() {
        sync();
        assertTrue(!closed.isDone(), name + " should still be open");
    }

    public static void assertErrorCode(String expected, ServerMessage.Error error) {
        assertEquals(expected, error.code().wire(), error.toString());
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        if (socket != null) {
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                ProtocolCodec.Decoded<ServerMessage> decoded = codec.decodeServer(frame);
                synchronized (inbox) {
                    if (decoded instanceof ProtocolCodec.Decoded.Accepted<ServerMessage> a) {
                        inbox.add(a.message());
                    } else {
                        inbox.add(new ServerMessage.Error(null, null, "UNDECODABLE FROM SERVER: " + frame));
                    }
                    inbox.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
