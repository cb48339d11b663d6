package dev.parley.rendezvous.block;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.rendezvous.account.Account;
import dev.parley.rendezvous.account.AccountStore;
import dev.parley.rendezvous.consent.ConsentBroker;
import dev.parley.rendezvous.presence.ChatSession;
import dev.parley.rendezvous.presence.PresenceService;
import dev.parley.rendezvous.session.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.util.List;

/** {@code block}, {@code unblock} and {@code blocked}; a change shows at once in both users' presence. */
@ApplicationScoped
public class BlockService {
    private final BlockStore store;
    private final AccountStore accounts;
    private final PresenceService presence;
    private final ConsentBroker consent;
    private final Clock clock;
    private final Event<Blocked> blockedEvents;

    /** {@code blocker} now blocks {@code blocked} (account keys): what waits from one for the other can go. */
    public record Blocked(String blocker, String blocked) {
    }

    public BlockService(BlockStore store, AccountStore accounts, PresenceService presence, ConsentBroker consent,
            Clock clock, Event<Blocked> blockedEvents) {
        this.blockedEvents = blockedEvents;
        this.store = store;
        this.accounts = accounts;
        this.presence = presence;
        this.consent = consent;
        this.clock = clock;
    }

    /** Returns the blocked user's display name. */
    public String block(ChatSession session, String user) {
        Account target = other(session, user, "block");
        boolean visibleBefore = !store.blocks(target.key(), session.key());
        if (!store.add(session.key(), target.key(), clock.millis())) {
            throw new Refusal(ErrorCode.ALREADY_BLOCKED, "you already block " + target.username());
        }
        if (visibleBefore) {
            presence.visibilityChanged(session.key(), target.key(), false);
        }
        // A block ends any direct link and consent between the two, like stopprivate.
        consent.withdraw(session.key(), target.key(), session.username() + " closed the private link");
        blockedEvents.fire(new Blocked(session.key(), target.key()));
        return target.username();
    }

    public String unblock(ChatSession session, String user) {
        Account target = other(session, user, "unblock");
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

    private Account other(ChatSession session, String user, String verb) {
        Account target = accounts.find(user)
                .orElseThrow(() -> new Refusal(ErrorCode.NO_SUCH_USER, "no such user '" + user + "'"));
        if (target.key().equals(session.key())) {
            throw new Refusal(ErrorCode.SELF, "you cannot " + verb + " yourself");
        }
        return target;
    }
}
