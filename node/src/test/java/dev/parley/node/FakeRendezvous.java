package dev.parley.node;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.server.RendezvousClient;
import dev.parley.node.server.ServerAddress;
import dev.parley.node.trust.ServerTrust;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in rendezvous server on 127.0.0.1 (plain HTTP/WebSocket) for the node's unit tests: it
 * logs anyone in, hands each session to the test, and answers requests as the test says, so a
 * test can drop a connection while requests are unanswered and see what the node sends next.
 */
public final class FakeRendezvous implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final HttpServer server;
    private final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
    /** How new sessions answer requests: null = not at all. {@code logout} is always answered. */
    private volatile Function<ClientMessage, ServerMessage> answers = m -> null;
    /** If set, every new session is welcomed as this user at once. */
    private volatile String welcomeAs;

    /** One WebSocket session as the server sees it. */
    public final class Session {
        private final ServerWebSocket ws;
        private final BlockingQueue<ClientMessage> received = new LinkedBlockingQueue<>();
        private final Function<ClientMessage, ServerMessage> answering;

        private Session(ServerWebSocket ws, Function<ClientMessage, ServerMessage> answering) {
            this.ws = ws;
            this.answering = answering;
            ws.textMessageHandler(frame -> {
                ClientMessage m = ((ProtocolCodec.Decoded.Accepted<ClientMessage>) codec.decodeClient(frame)).message();
                if (m instanceof ClientMessage.Ping) {
                    send(new ServerMessage.Pong(null));
                    return;
                }
                if (m instanceof ClientMessage.Logout) {
                    // On the socket's own context, so the closing frame is written before the close.
                    ws.writeTextMessage(codec.encode(new ServerMessage.Closing(ServerMessage.CloseReason.logout, "logged out")));
                    ws.close();
                    return;
                }
                ServerMessage answer = answering.apply(m);
                if (answer != null) {
                    send(answer);
                }
                received.add(m);
            });
        }

        public void welcome(String user) {
            send(new ServerMessage.Welcome(user, System.currentTimeMillis()));
        }

        public void send(ServerMessage message) {
            vertx.runOnContext(v -> ws.writeTextMessage(codec.encode(message)));
        }

        /** Ends the connection with requests still unanswered, as a crashed server would. */
        public void drop() {
            vertx.runOnContext(v -> ws.close());
        }

        /** The next request or message the node sent (pings and logouts aside). */
        public ClientMessage next() throws InterruptedException {
            ClientMessage m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("the node sent nothing within " + WAIT);
            }
            return m;
        }

        /** What the node sent that has arrived by now, without waiting. */
        public ClientMessage poll() {
            return received.poll();
        }
    }

    private FakeRendezvous(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static FakeRendezvous start(Vertx vertx) throws Exception {
        FakeRendezvous[] self = new FakeRendezvous[1];
        HttpServer server = vertx.createHttpServer()
                .webSocketHandler(ws -> {
                    Session session = self[0].new Session(ws, self[0].answers);
                    if (self[0].welcomeAs != null) {
                        session.welcome(self[0].welcomeAs);
                    }
                    self[0].sessions.add(session);
                })
                .requestHandler(request -> {
                    if (request.path().equals(Api.LOGIN)) {
                        request.body().onSuccess(body -> {
                            String user;
                            try {
                                user = self[0].codec.mapper().readValue(body.getBytes(), Api.Credentials.class).username();
                            } catch (java.io.IOException e) {
                                request.response().setStatusCode(400).end();
                                return;
                            }
                            request.response().putHeader("Content-Type", "application/json")
                                    .end(self[0].codec.encode(new Api.LoginResult(user, "token")));
                        });
                    } else {
                        request.response().setStatusCode(204).end();
                    }
                });
        self[0] = new FakeRendezvous(vertx, server);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return self[0];
    }

    /** How sessions opened from now on answer requests (null: leave unanswered). */
    public void answer(Function<ClientMessage, ServerMessage> answers) {
        this.answers = answers;
    }

    /** Welcomes every session opened from now on as {@code user}, without the test's help. */
    public void welcomeAs(String user) {
        this.welcomeAs = user;
    }

    /** A client for this server, on the node's Vert.x. */
    public RendezvousClient client(Vertx nodeVertx) {
        return new RendezvousClient(nodeVertx, ServerAddress.parse("http://127.0.0.1:" + server.actualPort()),
                new ServerTrust.Decision.CaSigned(), codec);
    }

    public ProtocolCodec codec() {
        return codec;
    }

    /** Waits for the node's next session. */
    public Session nextSession() throws InterruptedException {
        Session s = sessions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("the node did not open a session within " + WAIT);
        }
        return s;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
