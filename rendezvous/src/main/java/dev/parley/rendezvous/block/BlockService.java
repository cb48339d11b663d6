package dev.parley.rendezvous.block;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.rendezvous.core.Account;
import dev.parley.rendezvous.core.BlockStore;
import dev.parley.rendezvous.core.Peers;
import dev.parley.rendezvous.core.Refusal;
import dev.parley.rendezvous.presence.ChatSession;
import dev.parley.rendezvous.presence.PresenceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.util.List;

/**
 * {@code block}, {@code unblock} and {@code blocked}; a change shows at once in both users' presence.
 * What else a block ends (consent, messages waiting) hears of it through {@link Blocked}.
 */
@ApplicationScoped
public class BlockService {
    private final BlockStore store;
    private final Peers peers;
    private final PresenceService presence;
    private final Clock clock;
    private final Event<Blocked> blockedEvents;

    /** {@code blocker} (shown as {@code blockerName}) now blocks {@code blocked}: account keys. */
    public record Blocked(String blocker, String blockerName, String blocked) {
    }

    public BlockService(BlockStore store, Peers peers, PresenceService presence, Clock clock,
            Event<Blocked> blockedEvents) {
        this.store = store;
        this.peers = peers;
        this.presence = presence;
        this.clock = clock;
        this.blockedEvents = blockedEvents;
    }

    /** Returns the blocked user's display name. */
    public String block(ChatSession session, String user) {
        Account target = peers.other(session.key(), user, "you cannot block yourself");
        boolean visibleBefore = !store.blocks(target.key(), session.key());
        if (!store.add(session.key(), target.key(), clock.millis())) {
            throw new Refusal(ErrorCode.ALREADY_BLOCKED, "you already block " + target.username());
        }
        if (visibleBefore) {
            presence.visibilityChanged(session.key(), target.key(), false);
        }
        blockedEvents.fire(new Blocked(session.key(), session.username(), target.key()));
        return target.username();
    }

    public String unblock(ChatSession session, String user) {
        Account target = peers.other(session.key(), user, "you cannot unblock yourself");
        if (!store.remove(session.key(), target.key())) {
            throw new Refusal(ErrorCode.NOT_BLOCKED, target.username() + " is not blocked");
        }
        if (!store.blocks(target.key(), session.key())) {
            presence.visibilityChanged(session.key(), target.key(), true);
        }
        return target.username();
    }

    public List<String> blocked(ChatSession session) {
        return store.blockedBy(session.key());
    }
}
