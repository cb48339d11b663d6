package dev.parley.rendezvous.relay;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.Via;
import dev.parley.rendezvous.core.Account;
import dev.parley.rendezvous.core.Peers;
import dev.parley.rendezvous.block.BlockService;
import dev.parley.rendezvous.core.BlockStore;
import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.metrics.ServerMetrics;
import dev.parley.rendezvous.presence.ChatSession;
import dev.parley.rendezvous.presence.SessionRegistry;
import dev.parley.rendezvous.core.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages through the server. A unicast is stored first and pushed if the recipient is online;
 * it leaves the store only when the recipient acknowledges it, so it survives a dropped
 * connection or a restart and is pushed again at the next login (same id: the node drops repeats).
 */
@ApplicationScoped
public class RelayService {
    private static final int BATCH = 200;
    /** Beyond this many unacknowledged pushes the window would not be tracked in full (see ChatSession). */
    static final int MAX_WINDOW = 500;

    private final MessageStore store;
    private final Peers peers;
    private final BlockStore blocks;
    private final SessionRegistry registry;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final int window;
    private final int maxWaiting;
    private final int maxWaitingPerSender;
    /** Per recipient key (they stay: one small object per user who was ever sent something). */
    private final Map<String, Arrivals> arrivals = new ConcurrentHashMap<>();

    public RelayService(MessageStore store, Peers peers, BlockStore blocks, SessionRegistry registry,
            ServerMetrics metrics, Clock clock, ParleyConfig config) {
        this.window = Math.min(MAX_WINDOW, Math.max(1, config.relay().window()));
        this.maxWaiting = config.relay().maxWaiting();
        this.maxWaitingPerSender = config.relay().maxWaitingPerSender();
        this.store = store;
        this.peers = peers;
        this.blocks = blocks;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
    }

    public ServerMessage.Sent send(ChatSession from, String re, String to, String text, String messageId) {
        Account target = peers.reachable(from.key(), to, "you cannot message yourself");
        String id = messageId != null ? messageId : UUID.randomUUID().toString();
        var online = registry.get(target.key());
        Via via = online.isPresent() ? Via.relay : Via.offline;
        // One store-and-push at a time per recipient. Sequence numbers are taken before commit, so
        // two concurrent inserts may commit out of order; a push in between would read the later
        // one, move past the earlier one and never send it (until the next login).
        Arrivals incoming = arrivals.computeIfAbsent(target.key(), k -> new Arrivals());
        synchronized (incoming) {
            MessageStore.Waiting waiting = store.waiting(target.key(), from.key());
            if (waiting.total() >= maxWaiting || waiting.fromSender() >= maxWaitingPerSender) {
                if (alreadyStored(id, from, target)) {
                    return new ServerMessage.Sent(re, id, target.username(), via);
                }
                throw new Refusal(ErrorCode.QUOTA, waiting.fromSender() >= maxWaitingPerSender
                        ? target.username() + " already has " + waiting.fromSender() + " of your messages waiting; "
                        + "message " + id + " not sent: try again once they have read some"
                        : target.username() + " has " + waiting.total() + " messages waiting, the most the server keeps; "
                        + "message " + id + " not sent: try again once they have read some");
            }
            long sentAt = clock.millis();
            OptionalLong stored = store.store(id, from.key(), from.username(), target.key(), text, sentAt);
            if (stored.isEmpty()) {
                // The sender is re-sending (its link or connection died before the answer): once is enough.
                if (alreadyStored(id, from, target)) {
                    return new ServerMessage.Sent(re, id, target.username(), via);
                }
                throw new Refusal(ErrorCode.INVALID, "message id " + id + " is already in use for another message");
            }
            long storedBefore = incoming.stored(stored.getAsLong());
            if (via == Via.relay) {
                metrics.relayed();
                pushNew(online.get(), new StoredMessage(stored.getAsLong(), id, from.key(), from.username(), target.key(),
                        text, sentAt), storedBefore);
            } else {
                metrics.stored();
            }
        }
        return new ServerMessage.Sent(re, id, target.username(), via);
    }

    /** Whether this very message (same id, sender and recipient) is stored already. */
    private boolean alreadyStored(String id, ChatSession from, Account target) {
        return store.owner(id).filter(o -> o.senderKey().equals(from.key()) && o.recipientKey().equals(target.key()))
                .isPresent();
    }

    /** Sends to everyone online but the sender and those with a block either way; returns how many. */
    public int broadcast(ChatSession from, String text) {
        Set<String> hidden = blocks.blockedEitherWay(from.key());
        var message = new ServerMessage.BroadcastMessage(from.username(), text, clock.millis());
        int reached = 0;
        for (ChatSession other : registry.all()) {
            if (!other.key().equals(from.key()) && !hidden.contains(other.key())) {
                other.send(message);
                reached++;
            }
        }
        metrics.broadcast();
        return reached;
    }

    /**
     * A block stands for what is already waiting too: the blocked user's stored messages to the
     * blocker are dropped, not delivered at the next login (and no longer count against the quota).
     */
    void onBlocked(@Observes BlockService.Blocked blocked) {
        Arrivals incoming = arrivals.computeIfAbsent(blocked.blocker(), k -> new Arrivals());
        synchronized (incoming) {
            store.forget(blocked.blocked(), blocked.blocker());
        }
    }

    /** At login: what is stored for the user, oldest first, as far as the window allows. */
    public void drainAtOpen(ChatSession session) {
        push(session);
    }

    /**
     * The recipient has the message: forget it, tell the sender if they are online (end-to-end
     * receipt), and let the next waiting message into the window.
     */
    public void acknowledge(ChatSession session, String messageId) {
        // The sender is known from the push on this session; only an older push needs the store's word.
        var sender = session.takeSenderOf(messageId).or(() -> store.senderOf(messageId));
        if (store.acknowledge(session.key(), messageId)) {
            sender.flatMap(registry::get).ifPresent(s -> s.send(new ServerMessage.Delivered(messageId, session.username())));
        }
        if (!session.caughtUp()) {
            push(session);
        }
    }

    /**
     * Pushes a message just stored for the session, under its recipient's lock. If everything
     * stored before it has been pushed ({@code storedBefore}) and the window has room, reading the
     * store back would return this message alone: it goes straight out. Otherwise, as any push.
     */
    private void pushNew(ChatSession session, StoredMessage message, long storedBefore) {
        synchronized (session.deliveryLock()) {
            long pushed = session.lastPushedSeq();
            if (session.caughtUp() && storedBefore <= pushed && message.seq() > pushed
                    && session.unacknowledged() < window) {
                deliver(session, message);
            } else {
                push(session);
            }
        }
    }

    /**
     * Pushes what is stored for the session beyond what it was already sent, in order, while fewer
     * than {@code window} pushes wait for their acknowledgement. A backlog of any size so goes out
     * at the pace the node takes it, never all at once: the connection's queue stays short, and
     * replies, notices and heartbeats are never stuck behind it. One lock per session keeps
     * concurrent senders, acknowledgements and the login drain from interleaving or repeating.
     */
    private void push(ChatSession session) {
        synchronized (session.deliveryLock()) {
            while (!session.isEnded()) {
                int room = window - session.unacknowledged();
                if (room <= 0) {
                    session.caughtUp(false); // more may be waiting: the next acknowledgement resumes
                    return;
                }
                int limit = Math.min(BATCH, room);
                List<StoredMessage> batch = store.pending(session.key(), session.lastPushedSeq(), limit);
                for (StoredMessage m : batch) {
                    deliver(session, m);
                }
                if (batch.size() < limit) {
                    session.caughtUp(true);
                    return;
                }
            }
        }
    }

    /** Sends one stored message (under the session's delivery lock) and remembers who sent it, for the ack. */
    private void deliver(ChatSession session, StoredMessage m) {
        boolean waitedOffline = m.sentAt() < session.openedAt();
        session.rememberSender(m.messageId(), m.senderKey());
        session.send(new ServerMessage.Deliver(m.messageId(), m.sender(), session.username(), m.body(),
                waitedOffline ? Via.offline : Via.relay, m.sentAt()));
        session.pushed(m.seq());
        if (waitedOffline) {
            metrics.deliveredFromStore();
        }
    }
}
