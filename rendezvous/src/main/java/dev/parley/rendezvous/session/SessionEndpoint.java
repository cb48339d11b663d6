package dev.parley.rendezvous.session;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ProtocolCodec.Decoded;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.core.AccountStore;
import dev.parley.rendezvous.account.LoginService;
import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.presence.ChatSession;
import dev.parley.rendezvous.presence.PresenceService;
import dev.parley.rendezvous.relay.RelayService;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The node's live session: authenticated by the bearer token from {@code /api/login}, then a
 * stream of protocol frames both ways. Frames are handled in order, one at a time per connection.
 */
@WebSocket(path = Api.SESSION)
public class SessionEndpoint {
    private static final Logger LOG = Logger.getLogger(SessionEndpoint.class);
    private static final UserData.TypedKey<ChatSession> SESSION = new UserData.TypedKey<>("parley.session");
    private static final UserData.TypedKey<WebSocketChannel> CHANNEL = new UserData.TypedKey<>("parley.channel");
    private static final UserData.TypedKey<SessionInbox> INBOX = new UserData.TypedKey<>("parley.inbox");
    private static final String BEARER = "Bearer ";

    private final LoginService logins;
    private final AccountStore accounts;
    private final PresenceService presence;
    private final RelayService relay;
    private final CommandDispatcher dispatcher;
    private final ProtocolCodec codec;
    private final Clock clock;
    private final long maxOutboundBytes;
    private final SessionSockets sockets;

    public SessionEndpoint(LoginService logins, AccountStore accounts, PresenceService presence, RelayService relay,
            CommandDispatcher dispatcher, ProtocolCodec codec, Clock clock, ParleyConfig config, SessionSockets sockets) {
        this.sockets = sockets;
        this.maxOutboundBytes = config.session().maxOutboundBytes();
        this.logins = logins;
        this.accounts = accounts;
        this.presence = presence;
        this.relay = relay;
        this.dispatcher = dispatcher;
        this.codec = codec;
        this.clock = clock;
    }

    @OnOpen
    void open(WebSocketConnection connection, HandshakeRequest request) {
        String auth = request.header("Authorization");
        Optional<String> key = auth != null && auth.startsWith(BEARER)
                ? logins.accountFor(auth.substring(BEARER.length()).strip())
                : Optional.empty();
        var account = key.flatMap(accounts::find);
        if (account.isEmpty()) {
            connection.sendTextAndAwait(codec.encode(new ServerMessage.Error(null, ErrorCode.UNAUTHENTICATED,
                    "session token missing, expired or replaced by a newer login: log in again")));
            connection.closeAndAwait(new CloseReason(1008, "unauthenticated"));
            return;
        }
        Context eventLoop = Vertx.currentContext();
        WebSocketChannel channel = new WebSocketChannel(connection, eventLoop, maxOutboundBytes);
        ChatSession session = new ChatSession(account.get().key(), account.get().username(), channel, codec,
                clock.millis(), hostOf(request.remoteAddress()));
        String remote = request.remoteAddress();
        channel.onOverflow(() -> {
            presence.slowConsumer(session);
            sockets.abort(remote);
        });
        connection.userData().put(CHANNEL, channel);
        connection.userData().put(INBOX, new SessionInbox(session, dispatcher, eventLoop));
        connection.userData().put(SESSION, session);
        presence.open(session);
        relay.drainAtOpen(session);
    }

    /** "ip:port" or "[v6]:port" as Vert.x reports it, to the bare host. */
    static String hostOf(String remoteAddress) {
        if (remoteAddress == null) {
            return null;
        }
        int colon = remoteAddress.lastIndexOf(':');
        String host = colon > 0 ? remoteAddress.substring(0, colon) : remoteAddress;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** On the event loop: what needs the database goes to a worker, in order (see {@link SessionInbox}). */
    @OnTextMessage
    @NonBlocking
    void text(String frame, WebSocketConnection connection) {
        ChatSession session = connection.userData().get(SESSION);
        SessionInbox inbox = connection.userData().get(INBOX);
        if (session == null || inbox == null || session.isEnded()) {
            return;
        }
        Decoded<ClientMessage> decoded = codec.decodeClient(frame);
        if (decoded instanceof Decoded.Accepted<ClientMessage> accepted) {
            inbox.take(accepted.message());
        } else if (decoded instanceof Decoded.Rejected<ClientMessage> rejected) {
            session.heard();
            session.send(new ServerMessage.Error(rejected.re(), rejected.code(), rejected.reason()));
        }
    }

    /**
     * Only notes the time, so it runs on the event loop: a heartbeat answer must not wait for a
     * worker thread busy with database work, or a live session could be taken for dead.
     */
    @OnPongMessage
    @NonBlocking
    void pong(Buffer data, WebSocketConnection connection) {
        ChatSession session = connection.userData().get(SESSION);
        if (session != null) {
            session.heard();
        }
    }

    @OnClose
    void close(WebSocketConnection connection) {
        sockets.forget(connection.handshakeRequest().remoteAddress());
        ChatSession session = connection.userData().get(SESSION);
        if (session != null) {
            logins.sessionEnded(session.key());
            presence.closed(session);
        }
    }

    /**
     * Whether the transport refused a frame for its size. Vert.x says so only in words (an
     * IllegalStateException "... overflow max message size ...", Netty's "... frame length ...
     * exceeded"), so they are what is matched.
     */
    static boolean overLimit(Throwable failure) {
        String text = (failure.getClass().getSimpleName() + " " + failure.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return text.contains("max message size") || text.contains("max frame size") || text.contains("toolongframe")
                || (text.contains("frame length") && text.contains("exceed"));
    }

    /** The protocol is JSON text; a binary frame is answered with an error, and the session carries on. */
    @OnBinaryMessage
    @NonBlocking
    void binary(Buffer data, WebSocketConnection connection) {
        ChatSession session = connection.userData().get(SESSION);
        if (session != null && !session.isEnded()) {
            session.heard();
            session.send(new ServerMessage.Error(null, ErrorCode.MALFORMED,
                    "binary frames are not part of the protocol: send JSON text frames"));
        }
    }

    /**
     * Transport-level trouble: a frame over the transport's 1 MiB limit, or a broken frame. The
     * connection cannot be trusted to be in step any more, so the node is told why and it is closed
     * (1009 for a frame too large, 1002 otherwise); the node reconnects.
     */
    @OnError
    void error(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("session %s: %s", connection.id(), failure.toString());
        ChatSession session = connection.userData().get(SESSION);
        boolean tooLarge = overLimit(failure);
        if (session != null && connection.isOpen()) {
            session.send(new ServerMessage.Error(null, tooLarge ? ErrorCode.TOO_LARGE : ErrorCode.MALFORMED,
                    (tooLarge ? "frame larger than 1 MiB: " : "unreadable frame: ") + failure.getMessage()
                            + "; closing the connection"));
        }
        CloseReason reason = new CloseReason(tooLarge ? 1009 : 1002, tooLarge ? "frame too large" : "protocol error");
        WebSocketChannel channel = connection.userData().get(CHANNEL);
        if (channel != null) {
            channel.close((short) reason.getCode(), reason.getMessage()); // behind the error just sent
        } else if (connection.isOpen()) {
            connection.close(reason).subscribe().with(ok -> { }, e -> LOG.debugf("close of %s: %s", connection.id(), e));
        }
    }
}
