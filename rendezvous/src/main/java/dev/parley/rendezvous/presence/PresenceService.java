package dev.parley.rendezvous.presence;

import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.Username;
import dev.parley.common.protocol.ServerMessage.CloseReason;
import dev.parley.common.protocol.ServerMessage.PresenceChange;
import dev.parley.common.protocol.ServerMessage.PresenceEvent;
import dev.parley.rendezvous.core.AccountStore;
import dev.parley.rendezvous.account.LoginService;
import dev.parley.rendezvous.core.BlockStore;
import dev.parley.rendezvous.metrics.ServerMetrics;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Who is online, and telling people. A block either way hides two users from each other:
 * no listing, no login or logout notices.
 */
@ApplicationScoped
public class PresenceService {
    private static final Logger LOG = Logger.getLogger(PresenceService.class);
    /** WebSocket close code 1000 (normal) and 1008 (policy) per RFC 6455. */
    static final short NORMAL = 1000;
    static final short POLICY = 1008;

    private final SessionRegistry registry;
    private final BlockStore blocks;
    private final AccountStore accounts;
    private final Clock clock;
    private final Event<SessionClosed> closedEvents;
    private final PresenceFrames frames;
    private final ServerMetrics metrics;

    public PresenceService(SessionRegistry registry, BlockStore blocks, AccountStore accounts, Clock clock,
            Event<SessionClosed> closedEvents, ProtocolCodec codec, ServerMetrics metrics) {
        this.frames = new PresenceFrames(codec);
        this.metrics = metrics;
        this.registry = registry;
        this.blocks = blocks;
        this.accounts = accounts;
        this.clock = clock;
        this.closedEvents = closedEvents;
    }

    /** Fired when a user's current session ends: state kept for it elsewhere can go. */
    public record SessionClosed(ChatSession session) {
    }

    /**
     * Makes the session the account's current one. A session it replaces (the same node
     * reconnecting before its old connection was noticed dead) is closed without notices,
     * since the user never went away.
     */
    public void open(ChatSession session) {
        var replaced = registry.put(session);
        replaced.ifPresent(old -> end(old, CloseReason.takeover, "logged in elsewhere", false));
        session.send(new ServerMessage.Welcome(session.username(), clock.millis()));
        if (replaced.isEmpty()) {
            announce(session.key(), session.username(), PresenceEvent.login);
        }
        LOG.debugf("%s online (%d)", session.username(), registry.size());
    }

    /**
     * Ends a session once: tells the node why (if {@code reason} is given), closes it, and if it was
     * the account's current session, records the time and tells the others.
     */
    public void end(ChatSession session, CloseReason reason, String message, boolean announce) {
        if (!session.markEnded()) {
            return;
        }
        // Out of the registry before the close goes out: a node that sees its session closed must
        // not still be taken for online by what it (or anyone) asks next.
        boolean current = registry.remove(session);
        if (reason != null) {
            session.send(new ServerMessage.Closing(reason, message));
            session.close(reason == CloseReason.takeover ? POLICY : NORMAL, message);
        }
        if (current) {
            closedEvents.fire(new SessionClosed(session));
            accounts.markSeen(session.key(), clock.millis());
            if (announce) {
                announce(session.key(), session.username(), PresenceEvent.logout);
            }
        }
    }

    /**
     * The node stopped reading and its session has as much waiting as it may hold: end it rather
     * than hold more. What is stored for the user stays stored for the next login.
     */
    public void slowConsumer(ChatSession session) {
        LOG.warnf("%s stopped reading: session closed (slow-consumer)", session.username());
        metrics.slowConsumer();
        end(session, CloseReason.slowConsumer, "too much was waiting to be sent: your node stopped reading", true);
    }

    /** The node's connection closed (by it, or under it). */
    public void closed(ChatSession session) {
        end(session, null, null, true);
    }

    /** A new password login for this account: the session it had is over. */
    void onLogin(@Observes LoginService.LoggedIn login) {
        registry.get(login.key()).ifPresent(old -> end(old, CloseReason.takeover, "logged in elsewhere", true));
    }

    void onLogout(@Observes LoginService.LoggedOut logout) {
        registry.get(logout.key()).ifPresent(s -> end(s, CloseReason.logout, "logged out", true));
    }

    /**
     * Tells every node the server is going away, so it reconnects rather than waiting on a dead link.
     * This runs before the HTTP server closes the connections ({@code quarkus.shutdown.delay-enabled});
     * by {@link ShutdownEvent} they are already closed and only the bookkeeping is left.
     */
    void onShutdownStarting(@Observes ShutdownDelayInitiatedEvent event) {
        endAllForShutdown();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        endAllForShutdown();
    }

    private void endAllForShutdown() {
        for (ChatSession session : List.copyOf(registry.all())) {
            end(session, CloseReason.shutdown, "server shutting down", false);
        }
    }

    /** Other users online now that this user may see, sorted. */
    public List<String> whoElse(ChatSession asking) {
        Set<String> hidden = blocks.blockedEitherWay(asking.key());
        return registry.all().stream()
                .filter(s -> !s.key().equals(asking.key()) && !hidden.contains(s.key()))
                .map(ChatSession::username)
                .sorted(String.CASE_INSENSITIVE_ORDER)
                .collect(Collectors.toList());
    }

    /** Users online now or seen in the last {@code seconds}, except the asker and hidden ones. */
    public List<String> whoElseSince(ChatSession asking, long seconds) {
        long since = clock.millis() - Math.min(seconds, Long.MAX_VALUE / 2000) * 1000;
        Set<String> hidden = blocks.blockedEitherWay(asking.key());
        TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(whoElse(asking));
        accounts.seenSince(since).stream()
                .filter(n -> !n.equalsIgnoreCase(asking.username()) && !hidden.contains(Username.key(n)))
                .forEach(names::add);
        return List.copyOf(names);
    }

    /**
     * After {@code actor} blocked or unblocked {@code other}: the other sees the actor leave or
     * arrive. The actor is told {@code blocked}/{@code unblocked} by the reply; a presence notice
     * too would read as if the other user had logged out.
     */
    public void visibilityChanged(String actor, String other, boolean nowVisible) {
        var actorSession = registry.get(actor);
        var otherSession = registry.get(other);
        if (actorSession.isEmpty() || otherSession.isEmpty()) {
            return;
        }
        PresenceEvent event = nowVisible ? PresenceEvent.login : PresenceEvent.logout;
        // Through the notices' queue, so it cannot overtake a notice about the actor still waiting there.
        otherSession.get().notice(frames.notice(new PresenceChange(actorSession.get().username(), event, clock.millis())));
    }

    private void announce(String key, String username, PresenceEvent event) {
        Set<String> hidden = blocks.blockedEitherWay(key);
        // Encoded once: a login reaches everyone online, so this runs for every session there is.
        PresenceFrames.Notice notice = frames.notice(new PresenceChange(username, event, clock.millis()));
        for (ChatSession other : registry.all()) {
            if (!other.key().equals(key) && !hidden.contains(other.key())) {
                other.notice(notice);
            }
        }
    }
}
