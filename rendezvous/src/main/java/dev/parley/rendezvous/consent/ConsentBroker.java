package dev.parley.rendezvous.consent;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.PeerAddresses;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.Username;
import dev.parley.rendezvous.block.BlockService;
import dev.parley.rendezvous.core.Account;
import dev.parley.rendezvous.core.BlockStore;
import dev.parley.rendezvous.core.Peers;
import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.metrics.ServerMetrics;
import dev.parley.rendezvous.presence.ChatSession;
import dev.parley.rendezvous.presence.PresenceService;
import dev.parley.rendezvous.presence.SessionRegistry;
import dev.parley.rendezvous.core.Refusal;
import dev.parley.rendezvous.throttle.Throttles;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Introduces two users for a direct link, only with consent: the asker learns the other's
 * addresses only after the other said yes, and each learns the identity key the server vouches
 * for. Requests expire. A consent stands (the two are contacts) until {@code stopprivate} or
 * {@code block} withdraws it on both sides: whenever one of two contacts announces, both are
 * introduced again, and between contacts the server passes on the steps of a hole punch.
 */
@ApplicationScoped
public class ConsentBroker {
    /** What a node announced about itself for this session. */
    record Announced(String identityKey, Integer p2pPort, List<Candidate> candidates, boolean exclusive) {
    }

    /** Asker asked target, and when the request lapses. */
    record Pending(String askerKey, String targetKey, long expiresAt) {
    }

    private final SessionRegistry registry;
    private final Peers peers;
    private final IdentityStore identities;
    private final ContactStore contacts;
    private final BlockStore blocks;
    private final Clock clock;
    private final Throttles throttles;
    private final ServerMetrics metrics;
    private final long timeoutMillis;
    private final long askAgainAfterDenyMillis;

    private final Map<String, Announced> announced = new ConcurrentHashMap<>();
    /** Keyed by asker then target. */
    private final Map<List<String>, Pending> pending = new ConcurrentHashMap<>();
    /** Keyed by asker then target: when a denied asker may ask that target again. */
    private final Map<List<String>, Long> deniedUntil = new ConcurrentHashMap<>();

    public ConsentBroker(SessionRegistry registry, Peers peers, IdentityStore identities, ContactStore contacts,
            BlockStore blocks, Clock clock, ParleyConfig config, Throttles throttles, ServerMetrics metrics) {
        this.registry = registry;
        this.peers = peers;
        this.identities = identities;
        this.contacts = contacts;
        this.blocks = blocks;
        this.clock = clock;
        this.throttles = throttles;
        this.metrics = metrics;
        this.timeoutMillis = config.consentTimeout().toMillis();
        this.askAgainAfterDenyMillis = config.rateLimit().askAgainAfterDeny().toMillis();
    }

    /**
     * Records what the node announced, and introduces it again to each of its contacts who is
     * online and announced too: the node that just announced dials ({@code dial: true}), the
     * contact gets its candidates to punch with ({@code dial: false}).
     */
    public ServerMessage announce(ChatSession session, ClientMessage.Announce a) {
        identities.setKey(session.key(), a.identityKey());
        Announced mine = new Announced(a.identityKey(), a.p2pPort(), a.candidates(), a.exclusive());
        announced.put(session.key(), mine);
        for (ContactStore.Contact contact : contactsOf(session.key())) {
            Optional<ChatSession> theirSession = registry.get(contact.key());
            Announced theirs = announced.get(contact.key());
            if (theirSession.isPresent() && theirs != null) {
                introduce(session, mine, theirSession.get(), theirs);
            }
        }
        return new ServerMessage.Ok(a.id(), "identity " + IdentityKeys.fingerprint(a.identityKey()) + " announced");
    }

    public ServerMessage getAddress(ChatSession asker, String re, String user) {
        throttles.consentRequest(asker.key()).ifPresent(wait -> {
            metrics.rateLimited("getaddress");
            throw new Refusal(ErrorCode.RATE_LIMITED, "too many requests for direct links; try again in "
                    + seconds(wait.toMillis()) + " s");
        });
        Account target = peers.reachable(asker.key(), user, "you cannot ask yourself for a direct link");
        ChatSession targetSession = registry.get(target.key())
                .orElseThrow(() -> new Refusal(ErrorCode.OFFLINE, target.username() + " is offline"));
        Announced mine = announced.get(asker.key());
        if (mine == null) {
            throw new Refusal(ErrorCode.NO_IDENTITY, "your node has not announced its identity key yet");
        }
        Announced theirs = announced.get(target.key());
        if (theirs == null || candidates(theirs, targetSession).isEmpty()) {
            throw new Refusal(ErrorCode.NO_IDENTITY, target.username() + "'s node does not accept direct links");
        }
        long now = clock.millis();
        Long denied = deniedUntil.get(List.of(asker.key(), target.key()));
        if (denied != null && denied > now) {
            metrics.rateLimited("getaddress");
            throw new Refusal(ErrorCode.RATE_LIMITED, target.username() + " denied your last request; you can ask again in "
                    + seconds(denied - now) + " s");
        }
        long expiresAt = now + timeoutMillis;
        if (pending.putIfAbsent(List.of(asker.key(), target.key()), new Pending(asker.key(), target.key(), expiresAt)) != null) {
            throw new Refusal(ErrorCode.ALREADY_ASKED, "you already asked " + target.username() + "; waiting for an answer");
        }
        targetSession.send(new ServerMessage.ConsentRequest(asker.username(),
                IdentityKeys.fingerprint(mine.identityKey()), expiresAt));
        return new ServerMessage.Ok(re, "asked " + target.username() + " for a direct link; waiting for consent");
    }

    public ServerMessage consent(ChatSession target, String re, String user) {
        Account asker = peers.reachable(target.key(), user, "you cannot consent to yourself");
        Pending request = pending.remove(List.of(asker.key(), target.key()));
        if (request == null) {
            throw new Refusal(ErrorCode.NOT_ASKED, asker.username() + " has not asked you for a direct link");
        }
        ChatSession askerSession = registry.get(asker.key())
                .orElseThrow(() -> new Refusal(ErrorCode.OFFLINE, asker.username() + " is offline now"));
        Announced askerInfo = announced.get(asker.key());
        Announced targetInfo = announced.get(target.key());
        if (askerInfo == null || targetInfo == null) {
            throw new Refusal(ErrorCode.NO_IDENTITY, "identity keys are missing; ask again");
        }
        contacts.add(asker.key(), target.key(), clock.millis());
        introduce(askerSession, askerInfo, target, targetInfo);
        return new ServerMessage.Ok(re, "consented: " + asker.username() + " may connect to you directly");
    }

    /**
     * Introduces two contacts to each other: each gets the other's identity key (flagged if it is
     * not the one it was introduced to last time) and candidates; the {@code dialer} dials.
     */
    private void introduce(ChatSession dialer, Announced dialerInfo, ChatSession other, Announced otherInfo) {
        boolean dialerSeesChange = identities.introduce(dialer.key(), other.key(), otherInfo.identityKey());
        boolean otherSeesChange = identities.introduce(other.key(), dialer.key(), dialerInfo.identityKey());
        dialer.send(new ServerMessage.Introduction(other.username(), otherInfo.identityKey(),
                IdentityKeys.fingerprint(otherInfo.identityKey()), dialerSeesChange, candidates(otherInfo, other), true));
        other.send(new ServerMessage.Introduction(dialer.username(), dialerInfo.identityKey(),
                IdentityKeys.fingerprint(dialerInfo.identityKey()), otherSeesChange, candidates(dialerInfo, dialer), false));
    }

    /**
     * Passes one step of a hole punch on to a contact, with the sender's candidates as the server
     * knows them now. Nodes send punches without an id: then there is no reply, only an error if
     * the step is refused.
     */
    public ServerMessage punch(ChatSession sender, ClientMessage.Punch m) {
        // Counted before any lookup, so a flood costs the database nothing.
        throttles.punch(sender.key(), Username.key(m.user())).ifPresent(wait -> {
            metrics.rateLimited("punch");
            throw new Refusal(ErrorCode.RATE_LIMITED, "too many punches to " + m.user() + "; try again in "
                    + seconds(wait.toMillis()) + " s");
        });
        Account target = peers.reachable(sender.key(), m.user(), "you cannot punch through to yourself");
        if (!contacts.contacts(sender.key(), target.key())) {
            throw new Refusal(ErrorCode.NO_LINK, target.username() + " is not your contact; ask with getaddress first");
        }
        Announced mine = announced.get(sender.key());
        if (mine == null) {
            throw new Refusal(ErrorCode.NO_IDENTITY, "your node has not announced its identity key yet");
        }
        ChatSession targetSession = registry.get(target.key()).filter(s -> announced.containsKey(s.key()))
                .orElseThrow(() -> new Refusal(ErrorCode.OFFLINE, target.username() + " is offline"));
        targetSession.send(new ServerMessage.PunchSignal(sender.username(), m.phase(), m.nonce(), candidates(mine, sender)));
        return m.id() == null ? null : new ServerMessage.Ok(m.id(), "passed on " + m.phase() + " to " + target.username());
    }

    /** The user's contacts, sorted by name: whether each is online, and the fingerprint the server holds. */
    public ServerMessage.ContactList contactList(ChatSession session, String re) {
        return new ServerMessage.ContactList(re, contactsOf(session.key()).stream()
                .map(c -> new ServerMessage.Contact(c.username(), registry.get(c.key()).isPresent(),
                        c.identityKey().map(IdentityKeys::fingerprint).orElse(null)))
                .toList());
    }

    /**
     * The user's contacts. A block withdraws consent as it is made; one that a crash left between
     * the block and the withdrawal is kept out here all the same.
     */
    private List<ContactStore.Contact> contactsOf(String key) {
        List<ContactStore.Contact> all = contacts.of(key);
        if (all.isEmpty()) {
            return all;
        }
        Set<String> blocked = blocks.blockedEitherWay(key);
        return all.stream().filter(c -> !blocked.contains(c.key())).toList();
    }

    public ServerMessage deny(ChatSession target, String re, String user) {
        Account asker = peers.reachable(target.key(), user, "you cannot deny yourself");
        if (pending.remove(List.of(asker.key(), target.key())) == null) {
            throw new Refusal(ErrorCode.NOT_ASKED, asker.username() + " has not asked you for a direct link");
        }
        // A denial stands for a while: asking again at once would only badger the other user.
        deniedUntil.put(List.of(asker.key(), target.key()), clock.millis() + askAgainAfterDenyMillis);
        registry.get(asker.key()).ifPresent(s -> s.send(new ServerMessage.ConsentRefused(target.username(),
                ServerMessage.RefusalReason.denied, target.username() + " denied your request for a direct link")));
        return new ServerMessage.Ok(re, "denied " + asker.username());
    }

    public ServerMessage stopPrivate(ChatSession session, String re, String user) {
        Account other = peers.reachable(session.key(), user, "you cannot stop a link with yourself");
        if (!withdraw(session.key(), other.key(), session.username() + " stopped the private link")) {
            throw new Refusal(ErrorCode.NO_LINK, "there is no private link with " + other.username());
        }
        return new ServerMessage.Ok(re, "stopped the private link with " + other.username());
    }

    public ServerMessage fingerprint(ChatSession session, String re, String user) {
        Account subject = peers.named(user);
        String key = identities.key(subject.key())
                .orElseThrow(() -> new Refusal(ErrorCode.NO_IDENTITY, subject.username() + " has no identity key yet"));
        return new ServerMessage.FingerprintInfo(re, subject.username(), IdentityKeys.fingerprint(key));
    }

    /**
     * Ends consent between two users, pending requests included, and tells the other side.
     * Returns whether there was a grant to withdraw.
     */
    public boolean withdraw(String byKey, String otherKey, String message) {
        pending.remove(List.of(byKey, otherKey));
        pending.remove(List.of(otherKey, byKey));
        boolean had = contacts.remove(byKey, otherKey);
        if (had) {
            String byName = registry.get(byKey).map(ChatSession::username).orElse(byKey);
            registry.get(otherKey).ifPresent(s -> s.send(new ServerMessage.PrivateStopped(byName, message)));
        }
        return had;
    }

    /**
     * The candidates for a user's node: what it announced, in its order, and (unless it announced
     * exclusively) the host the server sees its session come from with its P2P port, as an
     * {@code observed} candidate when that address is not among them yet. Nothing else is added:
     * the dialing node orders them (it knows its own public address).
     */
    static List<Candidate> candidates(Announced info, ChatSession session) {
        List<Candidate> out = new ArrayList<>(info.candidates());
        if (!info.exclusive() && info.p2pPort() != null && session.remoteHost() != null) {
            String seen = PeerAddresses.of(session.remoteHost(), info.p2pPort());
            if (out.stream().noneMatch(c -> c.address().equals(seen)) && out.size() < Candidate.MAX) {
                out.add(new Candidate(Candidate.Type.observed, seen));
            }
        }
        return List.copyOf(out);
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        long now = clock.millis();
        deniedUntil.values().removeIf(until -> until <= now);
        for (Pending p : List.copyOf(pending.values())) {
            if (p.expiresAt() <= now && pending.remove(List.of(p.askerKey(), p.targetKey()), p)) {
                String target = registry.get(p.targetKey()).map(ChatSession::username).orElse(p.targetKey());
                registry.get(p.askerKey()).ifPresent(s -> s.send(new ServerMessage.ConsentRefused(target,
                        ServerMessage.RefusalReason.expired,
                        target + " did not answer your request for a direct link in " + timeoutMillis / 1000 + " s")));
            }
        }
    }

    /** A block ends any direct link and consent between the two, as {@code stopprivate} does. */
    void onBlocked(@Observes BlockService.Blocked blocked) {
        withdraw(blocked.blocker(), blocked.blocked(), blocked.blockerName() + " closed the private link");
    }

    void onSessionClosed(@Observes PresenceService.SessionClosed closed) {
        String key = closed.session().key();
        announced.remove(key);
        for (Pending p : List.copyOf(pending.values())) {
            if (p.askerKey().equals(key) || p.targetKey().equals(key)) {
                pending.remove(List.of(p.askerKey(), p.targetKey()), p);
            }
        }
    }
}
