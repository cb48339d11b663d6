package dev.parley.rendezvous.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testsupport.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare JDK WebSocket session with the rendezvous: sends JSON frames, and queues every frame the
 * server sends, in order, for the test to take one at a time.
 */
final class SessionClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    /** Queued when the server closes the session or the connection fails. */
    record Closed(int status, String reason) {
    }

    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    private volatile boolean closed;

    private SessionClient(HttpClient http, URI uri, String token) throws Exception {
        this.socket = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static SessionClient open(ServerProcess server, HttpClient http, String token) throws Exception {
        return new SessionClient(http, server.webSocketUri("/api/session"), token);
    }

    void send(Map<String, ?> frame) {
        try {
            socket.sendText(JSON.writeValueAsString(frame), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        } catch (Exception e) {
            throw new AssertionError("could not send " + frame + ": " + e, e);
        }
    }

    /** The next frame from the server; fails if none comes in time or the session closed. */
    JsonNode next() throws InterruptedException {
        Object frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame from the server within " + WAIT);
        }
        if (frame instanceof Closed c) {
            frames.add(c);
            throw new AssertionError("session closed by the server: " + c);
        }
        return (JsonNode) frame;
    }

    /** Every frame up to and including the first that matches, in the order received. */
    List<JsonNode> until(Predicate<JsonNode> wanted) throws InterruptedException {
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            seen.add(frame);
            if (wanted.test(frame)) {
                return seen;
            }
        }
    }

    /** The first frame of this type; frames before it are skipped. */
    JsonNode nextOfType(String type) throws InterruptedException {
        List<JsonNode> seen = until(f -> type.equals(f.path("type").asText()));
        return seen.get(seen.size() - 1);
    }

    static Predicate<JsonNode> type(String type) {
        return f -> type.equals(f.path("type").asText());
    }

    /** A normal close handshake, waiting for the server's close; aborts if it does not come. */
    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || frames.poll(left, TimeUnit.NANOSECONDS) == null) {
                    break;
                }
            }
        } catch (Exception e) {
            // fall through to abort
        } finally {
            if (!closed) {
                socket.abort();
                closed = true;
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    frames.add(JSON.readTree(text));
                } catch (JsonProcessingException e) {
                    frames.add(JSON.createObjectNode().put("type", "<unparsable>").put("text", text));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            frames.add(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            frames.add(new Closed(-1, error.toString()));
        }
    }
}
