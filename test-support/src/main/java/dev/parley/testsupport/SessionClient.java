package dev.parley.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The tests' client of the session endpoint: a {@link SessionSocket} whose frames are kept, in
 * order, in an inbox the test reads with a deadline, never a sleep. Read them decoded with the
 * shared codec ({@link #await}: the first of a type, wherever it is) or as JSON trees, one after
 * the other ({@link #next}), as the test prefers. A {@code presence} frame is kept as one entry per
 * change it carries, in order, so a test waits for each login or logout on its own however the
 * server batched them.
 */
public final class SessionClient implements AutoCloseable {
    /** How long a client of a {@link ServerProcess} waits for one thing: a separate JVM on a busy machine. */
    public static final Duration PROCESS_WAIT = Duration.ofSeconds(20);

    /** One frame as it came: its text and its decoding (a placeholder error if it did not decode). */
    private record Frame(String text, ServerMessage message) {
    }

    private final String name;
    private final Duration wait;
    private final List<Frame> inbox = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private SessionSocket socket;
    /** The server's close status, -1 for a failed connection; null while open. */
    private Integer closedWith;
    private String closeReason;

    private SessionClient(String name, Duration wait) {
        this.name = name;
        this.wait = wait;
    }

    /**
     * Opens a session at {@code uri} with the token ({@code null}: none at all); the server's first
     * answer (welcome or error) lands in the inbox. Every wait of this client lasts {@code wait} at most.
     */
    public static SessionClient open(HttpClient http, URI uri, String name, String token, Duration wait) {
        SessionClient client = new SessionClient(name, wait);
        try {
            client.socket = SessionSocket.open(http, uri, token, wait, client.new Inbox()).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + ": could not open a session at " + uri + ": " + e, e);
        }
        return client;
    }

    /** A session with a {@link ServerProcess}, trusting exactly its certificate. */
    public static SessionClient open(ServerProcess server, String name, String token) {
        return open(server.client(), server.webSocketUri(Api.SESSION), name, token, PROCESS_WAIT);
    }

    /** Logs {@code user} in at the server and opens its session, waiting for the welcome. */
    public static SessionClient login(ServerProcess server, String user, String password) {
        String token;
        try {
            token = Login.token(server.client(), server.uri("/"), user, password)
                    .get(PROCESS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(user + ": login failed: " + e, e);
        }
        SessionClient client = open(server, user, token);
        client.await(ServerMessage.Welcome.class, w -> true);
        return client;
    }

    public String name() {
        return name;
    }

    /** A request id no other request of this client has. */
    public String nextId() {
        return name + "#" + ids.incrementAndGet();
    }

    // ---- sending ----

    public void send(ClientMessage message) {
        complete(socket.send(message), "send " + message);
    }

    /** Sends any object (a map, say) as one JSON text frame, for frames written by hand. */
    public void sendJson(Object frame) {
        sendRaw(SessionSocket.codec().encode(frame));
    }

    public void sendRaw(String frame) {
        complete(socket.sendText(frame), "send " + frame);
    }

    public void sendBinary(byte[] data) {
        complete(socket.sendBinary(data), "send " + data.length + " binary bytes");
    }

    // ---- reading decoded messages, in any order ----

    /** Waits for (and takes out of the inbox) the first message of the type that matches. */
    public <T extends ServerMessage> T await(Class<T> type, Predicate<T> match) {
        long end = System.nanoTime() + wait.toNanos();
        synchronized (inbox) {
            while (true) {
                for (Iterator<Frame> it = inbox.iterator(); it.hasNext(); ) {
                    ServerMessage m = it.next().message();
                    if (type.isInstance(m) && match.test(type.cast(m))) {
                        it.remove();
                        return type.cast(m);
                    }
                }
                if (closedWith != null) {
                    throw new AssertionError(name + " was closed (" + closedWith + " " + closeReason + ") without a "
                            + type.getSimpleName() + "; inbox: " + messages());
                }
                waitForFrames(end, "a " + type.getSimpleName());
            }
        }
    }

    /**
     * The next message of this type; messages before it are dropped, and an error from the server
     * before it fails the test at once (for a user played by the test, whose every request should pass).
     */
    public <T extends ServerMessage> T expect(Class<T> type) {
        long end = System.nanoTime() + wait.toNanos();
        synchronized (inbox) {
            while (true) {
                while (!inbox.isEmpty()) {
                    ServerMessage m = inbox.remove(0).message();
                    if (type.isInstance(m)) {
                        return type.cast(m);
                    }
                    if (m instanceof ServerMessage.Error e) {
                        throw new AssertionError(name + ": the server refused: " + e);
                    }
                }
                if (closedWith != null) {
                    throw new AssertionError(name + " was closed (" + closedWith + ") without a " + type.getSimpleName());
                }
                waitForFrames(end, "a " + type.getSimpleName());
            }
        }
    }

    /** Whether a matching message has arrived by now (it stays in the inbox); does not wait. */
    public <T extends ServerMessage> boolean hasReceived(Class<T> type, Predicate<T> match) {
        synchronized (inbox) {
            return inbox.stream().map(Frame::message).anyMatch(m -> type.isInstance(m) && match.test(type.cast(m)));
        }
    }

    /** Waits for (and takes out of the inbox) the notice that {@code user} logged in or out. */
    public ServerMessage.PresenceChange awaitPresence(String user, ServerMessage.PresenceEvent event) {
        return await(ServerMessage.Presence.class, p -> is(p, user, event)).events().get(0);
    }

    /** Whether the notice that {@code user} logged in or out has arrived by now; does not wait. */
    public boolean hasPresence(String user, ServerMessage.PresenceEvent event) {
        return hasReceived(ServerMessage.Presence.class, p -> is(p, user, event));
    }

    /** After a {@link #sync()}, asserts no notice about {@code user} arrived. */
    public void assertNoPresence(String user) {
        assertNone(ServerMessage.Presence.class, p -> p.events().get(0).user().equals(user));
    }

    private static boolean is(ServerMessage.Presence p, String user, ServerMessage.PresenceEvent event) {
        ServerMessage.PresenceChange change = p.events().get(0);
        return change.user().equals(user) && change.event() == event;
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
            for (Frame f : inbox) {
                if (type.isInstance(f.message()) && match.test(type.cast(f.message()))) {
                    throw new AssertionError(name + " received what it should not have: " + f.message());
                }
            }
        }
    }

    public static void assertErrorCode(String expected, ServerMessage.Error error) {
        String actual = error.code() == null ? null : error.code().wire();
        if (!expected.equals(actual)) {
            throw new AssertionError(error + " ==> expected: <" + expected + "> but was: <" + actual + ">");
        }
    }

    // ---- reading JSON frames, in order ----

    /** The next frame from the server, as JSON; fails if none comes in time or the session closed. */
    public JsonNode next() {
        long end = System.nanoTime() + wait.toNanos();
        synchronized (inbox) {
            while (inbox.isEmpty()) {
                if (closedWith != null) {
                    throw new AssertionError("session closed by the server: " + closedWith + " " + closeReason);
                }
                waitForFrames(end, "a frame");
            }
            return json(inbox.remove(0).text());
        }
    }

    /** Every frame up to and including the first that matches, in the order received. */
    public List<JsonNode> until(Predicate<JsonNode> wanted) {
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            seen.add(frame);
            if (wanted.test(frame)) {
                return seen;
            }
        }
    }

    /** The first frame of this type ({@code "type"} in the JSON); frames before it are skipped. */
    public JsonNode nextOfType(String type) {
        List<JsonNode> seen = until(type(type));
        return seen.get(seen.size() - 1);
    }

    public static Predicate<JsonNode> type(String type) {
        return f -> type.equals(f.path("type").asText());
    }

    // ---- the connection ----

    /** Waits for the server to close the connection; returns the close code. */
    public int awaitClosed() {
        long end = System.nanoTime() + wait.toNanos();
        synchronized (inbox) {
            while (closedWith == null) {
                if (System.nanoTime() >= end) {
                    throw new AssertionError(name + " was not closed by the server in time");
                }
                waitForFrames(end, "the close");
            }
            return closedWith;
        }
    }

    public void assertOpen() {
        sync();
        synchronized (inbox) {
            if (closedWith != null) {
                throw new AssertionError(name + " should still be open");
            }
        }
    }

    /** A normal close handshake, waiting for the server's close; aborts if it does not come in time. */
    @Override
    public void close() {
        synchronized (inbox) {
            if (closedWith != null) {
                return;
            }
        }
        try {
            socket.close().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            long end = System.nanoTime() + wait.toNanos();
            synchronized (inbox) {
                while (closedWith == null && System.nanoTime() < end) {
                    inbox.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // fall through to abort
        } finally {
            socket.abort();
        }
    }

    // ---- internals ----

    private void waitForFrames(long end, String what) {
        long left = end - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError(name + " did not receive " + what + " within " + wait + "; inbox: " + messages());
        }
        try {
            inbox.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted while waiting for " + what, e);
        }
    }

    private List<ServerMessage> messages() {
        return inbox.stream().map(Frame::message).toList();
    }

    private void complete(CompletableFuture<?> sending, String what) {
        try {
            sending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted: " + what, e);
        } catch (Exception e) {
            throw new AssertionError(name + ": could not " + what + ": " + e, e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return SessionSocket.codec().mapper().readTree(text);
        } catch (Exception e) {
            return SessionSocket.codec().mapper().createObjectNode().put("type", "<unparsable>").put("text", text);
        }
    }

    private final class Inbox implements SessionSocket.Frames {
        @Override
        public void onFrame(SessionSocket socket, String text) {
            ServerMessage message = SessionSocket.codec().decodeServer(text) instanceof ProtocolCodec.Decoded.Accepted<ServerMessage> a
                    ? a.message()
                    : new ServerMessage.Error(null, null, "UNDECODABLE FROM SERVER: " + text);
            synchronized (inbox) {
                if (message instanceof ServerMessage.Presence batch && batch.events().size() > 1) {
                    for (ServerMessage.PresenceChange change : batch.events()) {
                        ServerMessage.Presence one = new ServerMessage.Presence(List.of(change));
                        inbox.add(new Frame(SessionSocket.codec().encode(one), one));
                    }
                } else {
                    inbox.add(new Frame(text, message));
                }
                inbox.notifyAll();
            }
        }

        @Override
        public void onClose(int status, String reason) {
            synchronized (inbox) {
                if (closedWith == null) {
                    closedWith = status;
                    closeReason = reason;
                }
                inbox.notifyAll();
            }
        }
    }
}
