package dev.parley.node.server;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.route.ServerPath;
import dev.parley.node.time.NodeClock;
import dev.parley.common.tls.PinnedTrustManager;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The node's live session with the server: one WebSocket, kept up. It answers requests by their
 * id, notices when the server goes quiet (pinging it only then), reconnects with backoff (logging in again
 * when the token is refused), and queues requests made while it is away. Requests the server had
 * not answered when the connection dropped are sent again after the next welcome, in their order
 * and before anything newer, if {@link ResendPolicy} says a repeat is safe; the others fail with
 * {@link ServerPath.NotAnswered}. All state lives on one Vert.x context; public methods may be
 * called from any thread. Time (silence, backoff) comes from an injected {@link NodeClock}, and the
 * connection from a {@link SessionSocket.Dialer}, so both are replaced in unit tests.
 */
public final class ServerSession implements ServerPath {
    /** How often the node looks at how long the server has been silent. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /**
     * The node pings only a server silent this long. The server pings a quiet session itself (after
     * 7.5 s by default) and any frame, its pings included, counts, so one heartbeat flows, not two.
     */
    static final Duration QUIET = Duration.ofSeconds(12);
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(15);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final int MAX_QUEUED = 1000;

    /** What the session tells the node. Called on the session's context, one at a time. */
    public interface Listener {
        /** Welcomed by the server: the first time, or ({@code reconnected}) after the connection was lost. */
        void online(String user, boolean reconnected);

        /** Anything the server sent that is not the reply to a request. */
        void pushed(ServerMessage message);

        /**
         * The connection was lost, or could not be made: told once per outage, with the delay
         * before the first attempt to reconnect. Attempts that fail after it are not told; the
         * outage ends with {@link #online} (or {@link #ended}). {@link #status()} shows it meanwhile.
         */
        void connectionLost(String why, Duration retryIn);

        /** After a reconnect: this many messages the server had not answered are being sent again. */
        void resending(int messages);

        void ended(SessionEnded reason, String message);
    }

    /** Logs in again (with the password the user gave) when the server refuses the token. */
    @FunctionalInterface
    public interface Reauthenticator {
        CompletableFuture<String> freshToken();
    }

    private enum State { CONNECTING, ONLINE, WAITING, ENDED }

    /** Where the session stands, as a prompt shows it. */
    public enum Status {
        /** The first connection is being made. */
        CONNECTING,
        ONLINE,
        /** The connection was lost (or never made); trying again, with backoff. */
        RECONNECTING,
        /** Over for good. */
        ENDED
    }

    /** A request and the future its reply completes. */
    private record Pending(ClientMessage message, CompletableFuture<ServerMessage> reply) {
    }

    private final Executor context;
    /** The thread the context runs its tasks on (a Vert.x context keeps to one event loop). */
    private volatile Thread contextThread;
    private final NodeClock clock;
    private final SessionSocket.Dialer dialer;
    private final ProtocolCodec codec;
    private final Listener listener;
    private final Reauthenticator reauthenticator;

    /** Volatile: the observed-address watch reads it from its own timers. */
    private volatile String token;
    private SessionSocket socket;
    /** Written on the context only; volatile so {@link #status()} may be read from any thread. */
    private volatile State state = State.CONNECTING;
    /** The listener was told the connection is lost, and has not been told it is back yet. */
    private volatile boolean outage;
    private boolean everOnline;
    private boolean tokenRefused;
    private ServerMessage.Closing closing;
    private int attempt;
    private long lastHeardNanos;
    private NodeClock.Timer heartbeatTimer;
    private NodeClock.Timer retryTimer;
    /** Written on the current connection and not answered yet, in the order they were written. */
    private final Map<String, Pending> awaiting = new LinkedHashMap<>();
    /** To write once online: first what a lost connection left unanswered, then what came while away. */
    private final Deque<Pending> queued = new ArrayDeque<>();
    /** Messages put back in {@link #queued} by lost connections, told to the listener at the next welcome. */
    private int resendingMessages;
    private final CompletableFuture<SessionEnded> endedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> onlineFuture = new CompletableFuture<>();

    /** A session on a context of {@code vertx}, connecting through {@code client}. */
    public ServerSession(Vertx vertx, NodeClock clock, RendezvousClient client, ProtocolCodec codec, Listener listener,
            Reauthenticator reauthenticator) {
        this(on(vertx.getOrCreateContext()), clock, client::openSession, codec, listener, reauthenticator);
    }

    /**
     * A session whose state lives on {@code context} (tasks run one at a time, in order), timed by
     * {@code clock}, connecting through {@code dialer}, whose sockets call back on that context.
     */
    ServerSession(Executor context, NodeClock clock, SessionSocket.Dialer dialer, ProtocolCodec codec, Listener listener,
            Reauthenticator reauthenticator) {
        this.context = context;
        this.clock = clock;
        this.dialer = dialer;
        this.codec = codec;
        this.listener = listener;
        this.reauthenticator = reauthenticator;
    }

    private static Executor on(Context context) {
        return task -> context.runOnContext(v -> task.run());
    }

    public void start(String token) {
        context.execute(() -> {
            contextThread = Thread.currentThread();
            this.token = token;
            connect();
        });
    }

    /** The session token of the latest login (it changes when the node logs in again); may be read from any thread. */
    public String token() {
        return token;
    }

    /** Where the session stands now; may be read from any thread. */
    public Status status() {
        return switch (state) {
            case ONLINE -> Status.ONLINE;
            case ENDED -> Status.ENDED;
            default -> outage ? Status.RECONNECTING : Status.CONNECTING;
        };
    }

    /** Sends a request (with an id) and completes with the server's reply to it. */
    @Override
    public CompletableFuture<ServerMessage> request(ClientMessage message) {
        CompletableFuture<ServerMessage> reply = new CompletableFuture<>();
        onContext(() -> {
            switch (state) {
                case ONLINE -> write(new Pending(message, reply));
                case ENDED -> reply.completeExceptionally(new ServerPath.NotSent("not logged in"));
                default -> {
                    if (queued.size() >= MAX_QUEUED) {
                        reply.completeExceptionally(new ServerPath.NotAnswered("not connected, and " + MAX_QUEUED
                                + " commands are already waiting to be sent"));
                    } else {
                        queued.add(new Pending(message, reply));
                    }
                }
            }
        });
        return reply;
    }

    /** Sends without expecting a reply (acknowledgements); dropped if offline, the server resends. */
    public void tell(ClientMessage message) {
        onContext(() -> tellNow(message));
    }

    /**
     * Runs on the session's context: at once when already there, so what is asked from a callback
     * goes out in the order asked (the identity announced on a welcome before the queue is
     * flushed; an acknowledgement before a logout asked right after it).
     */
    private void onContext(Runnable task) {
        if (Thread.currentThread() == contextThread) {
            task.run();
        } else {
            context.execute(task);
        }
    }

    private void tellNow(ClientMessage message) {
        if (state == State.ONLINE) {
            socket.write(codec.encode(message));
        }
    }

    /** Completes when the server first welcomes the session. */
    public CompletableFuture<Void> firstOnline() {
        return onlineFuture;
    }

    /** Completes when the session is over for good, with why. */
    public CompletableFuture<SessionEnded> ended() {
        return endedFuture;
    }

    /** Closes the connection without logging out (the token stays valid), e.g. when the program exits. */
    public void close() {
        context.execute(() -> end(SessionEnded.CLOSED, "closed"));
    }

    // ---- on the context from here on ----

    private void connect() {
        state = State.CONNECTING;
        closing = null;
        tokenRefused = false;
        dialer.open(token).onComplete(ar -> {
            if (state == State.ENDED) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                return;
            }
            if (ar.failed()) {
                Throwable cause = rootCause(ar.cause());
                if (cause instanceof PinnedTrustManager.CertificateChangedException) {
                    end(SessionEnded.UNTRUSTED, cause.getMessage());
                } else {
                    retryLater("cannot reach the server: " + describe(cause));
                }
                return;
            }
            attach(ar.result());
        });
    }

    private void attach(SessionSocket ws) {
        socket = ws;
        lastHeardNanos = clock.nanoTime();
        ws.onText(this::received);
        ws.onPing(() -> lastHeardNanos = clock.nanoTime());
        ws.onClose(() -> closed(ws));
        scheduleHeartbeat(ws);
    }

    private void scheduleHeartbeat(SessionSocket ws) {
        heartbeatTimer = clock.schedule(HEARTBEAT, () -> context.execute(() -> heartbeat(ws)));
    }

    private void received(String frame) {
        lastHeardNanos = clock.nanoTime();
        ProtocolCodec.Decoded<ServerMessage> decoded = codec.decodeServer(frame);
        if (!(decoded instanceof ProtocolCodec.Decoded.Accepted<ServerMessage> accepted)) {
            var rejected = (ProtocolCodec.Decoded.Rejected<ServerMessage>) decoded;
            listener.pushed(new ServerMessage.Error(null, rejected.code(), "unreadable frame from the server: " + rejected.reason()));
            return;
        }
        ServerMessage message = accepted.message();
        String re = message instanceof ServerMessage.Reply reply ? reply.re() : null;
        if (re != null && awaiting.containsKey(re)) {
            awaiting.remove(re).reply().complete(message);
        } else if (message instanceof ServerMessage.Welcome welcome) {
            state = State.ONLINE;
            outage = false;
            attempt = 0;
            boolean reconnected = everOnline;
            everOnline = true;
            listener.online(welcome.user(), reconnected);
            onlineFuture.complete(null);
            if (resendingMessages > 0) {
                listener.resending(resendingMessages);
                resendingMessages = 0;
            }
            while (!queued.isEmpty() && state == State.ONLINE) {
                write(queued.poll());
            }
        } else if (message instanceof ServerMessage.Closing c) {
            closing = c;
        } else if (message instanceof ServerMessage.Error e && e.code() == ErrorCode.UNAUTHENTICATED
                && state == State.CONNECTING) {
            tokenRefused = true;
        } else if (!(message instanceof ServerMessage.Pong)) {
            listener.pushed(message);
        }
    }

    private void write(Pending request) {
        ClientMessage message = request.message();
        if (message.id() == null) {
            socket.write(codec.encode(message));
            request.reply().complete(null); // nothing to wait for (logout: the session's end says how it went)
            return;
        }
        awaiting.put(message.id(), request);
        socket.write(codec.encode(message)).onFailure(e -> {
            // A failed write means the connection is closing; its close puts what is safe to repeat
            // back in the queue. The rest fails now, unless it was already answered or failed.
            if (!ResendPolicy.safeToRepeat(message) && awaiting.remove(message.id(), request)) {
                request.reply().completeExceptionally(new ServerPath.NotAnswered("the connection failed while sending it ("
                        + describe(e) + "); it may or may not have taken effect"));
            }
        });
    }

    private void heartbeat(SessionSocket ws) {
        if (ws != socket || state == State.ENDED) {
            return;
        }
        long silent = clock.nanoTime() - lastHeardNanos;
        if (silent > SILENCE_LIMIT.toNanos()) {
            // The connection is dead without having said so; stop waiting for its close handshake.
            socket = null;
            ws.close((short) 1001, "no answer");
            lost("the server stopped answering");
            return;
        }
        if (state == State.ONLINE && silent >= QUIET.toNanos()) {
            ws.write(codec.encode(new ClientMessage.Ping(null)));
        }
        scheduleHeartbeat(ws);
    }

    private void closed(SessionSocket ws) {
        if (state == State.ENDED || ws != socket) {
            return;
        }
        socket = null;
        if (closing != null) {
            switch (closing.reason()) {
                case takeover -> {
                    end(SessionEnded.TAKEOVER, closing.message());
                    return;
                }
                case idle -> {
                    end(SessionEnded.IDLE, closing.message());
                    return;
                }
                case logout -> {
                    end(SessionEnded.LOGOUT, closing.message());
                    return;
                }
                default -> {
                    // heartbeat or shutdown: reconnect below
                }
            }
        }
        if (tokenRefused) {
            cancelTimer();
            state = State.WAITING;
            reauthenticator.freshToken().whenComplete((fresh, failure) -> context.execute(() -> {
                if (state == State.ENDED) {
                    return;
                }
                Throwable cause = failure == null ? null : rootCause(failure);
                if (cause instanceof ApiException api && api.retryable()) {
                    // Busy or rate-limited: the next attempt finds the token refused and tries again.
                    retryLater("could not log in again yet: " + api.getMessage());
                } else if (failure != null) {
                    end(SessionEnded.UNAUTHENTICATED, "could not log in again: " + describe(cause));
                } else {
                    token = fresh;
                    connect();
                }
            }));
            return;
        }
        lost(closing != null ? closing.message() : "connection closed");
    }

    private void lost(String why) {
        cancelTimer();
        keepForResending();
        retryLater(why);
    }

    /**
     * The connection is gone with requests unanswered. Those safe to repeat go back to the front of
     * the queue, in the order they were written, ahead of anything queued since; the others fail.
     */
    private void keepForResending() {
        List<Pending> unanswered = new ArrayList<>(awaiting.values());
        awaiting.clear();
        List<Pending> again = new ArrayList<>();
        for (Pending p : unanswered) {
            if (ResendPolicy.safeToRepeat(p.message())) {
                again.add(p);
                if (p.message() instanceof ClientMessage.Send) {
                    resendingMessages++;
                }
            } else {
                p.reply().completeExceptionally(new ServerPath.NotAnswered(
                        "the connection to the server was lost before it answered; it may or may not have taken effect"));
            }
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            queued.addFirst(again.get(i));
        }
    }

    private void retryLater(String why) {
        state = State.WAITING;
        long base = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempt, 5));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        attempt++;
        if (!outage) {
            // Once per outage: the attempts that fail after this one are not news, the reconnect is.
            outage = true;
            listener.connectionLost(why, Duration.ofMillis(delay));
        }
        retryTimer = clock.schedule(Duration.ofMillis(delay), () -> context.execute(() -> {
            retryTimer = null;
            if (state == State.WAITING) {
                connect();
            }
        }));
    }

    private void end(SessionEnded reason, String message) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancelTimer();
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
        if (socket != null) {
            socket.close();
            socket = null;
        }
        resendingMessages = 0;
        List<Pending> unanswered = new ArrayList<>(awaiting.values());
        awaiting.clear();
        List<Pending> unsent = new ArrayList<>(queued);
        queued.clear();
        // Queued ones may be repeats of requests written on an earlier connection: their fate is unknown too.
        unanswered.forEach(p -> p.reply().completeExceptionally(
                new ServerPath.NotAnswered("the session ended before the server answered")));
        unsent.forEach(p -> p.reply().completeExceptionally(
                new ServerPath.NotAnswered("the session ended before it could be sent")));
        if (reason != SessionEnded.CLOSED) {
            listener.ended(reason, message);
        }
        endedFuture.complete(reason);
    }

    private void cancelTimer() {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            heartbeatTimer = null;
        }
    }

    static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
