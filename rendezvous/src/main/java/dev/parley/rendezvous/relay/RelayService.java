package dev.parley.rendezvous.relay;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.Via;
import dev.parley.rendezvous.block.BlockService;
import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.core.Account;
import dev.parley.rendezvous.core.BlockStore;
import dev.parley.rendezvous.core.Peers;
import dev.parley.rendezvous.core.Refusal;
import dev.parley.rendezvous.metrics.ServerMetrics;
import dev.parley.rendezvous.presence.ChatSession;
import dev.parley.rendezvous.presence.PresenceService;
import dev.parley.rendezvous.presence.SessionRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages through the server. A unicast goes to its recipient at once, from memory, if they are
 * online, and is written to the store in a group with everything else that arrived meanwhile (see
 * {@link GroupWriter}); its sender hears {@code sent} only after that commit, so {@code sent} means
 * stored. It leaves the store only when the recipient acknowledges it (if that comes before its
 * write, it is never written), so it survives a dropped connection or a restart and is pushed again
 * at the next login (same id: the node drops repeats).
 */
@ApplicationScoped
public class RelayService implements GroupWriter.Completion {
    /** Messages read back from the store at a time, and queued in memory beyond the window. */
    private static final int BATCH = 200;
    /** Beyond this many unacknowledged pushes the window would not be tracked in full (see Delivery). */
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
    private final GroupWriter writer;
    /** Sequence numbers, taken in memory: the store's highest at start, then one more per message. */
    private final AtomicLong lastSeq;
    /** Per recipient key (they stay: one small object per user who was ever sent something). */
    private final Map<String, Arrivals> arrivals = new ConcurrentHashMap<>();
    /** Messages taken and not yet written, by id. */
    private final Map<String, PendingMessage> writing = new ConcurrentHashMap<>();
    /** Ids that might be stored: a repeat is answered from the store, a new id needs no look-up. */
    private final StoredIds storedIds;
    /** Per online user key: delivery to their current session. */
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();

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
        this.lastSeq = new AtomicLong(store.highestSeq());
        for (MessageStore.WaitingCount w : store.waitingCounts()) {
            arrivalsFor(w.recipientKey()).add(w.senderKey(), w.count());
        }
        this.storedIds = new StoredIds(store.storedIds());
        this.writer = new GroupWriter(store, this);
    }

    private Arrivals arrivalsFor(String recipientKey) {
        return arrivals.computeIfAbsent(recipientKey, k -> new Arrivals());
    }

    /**
     * Takes a message for {@code to}. Refusals (no such user, a block, a full quota, an id in use)
     * are thrown; {@code sent}, or an error if the store fails, is sent to {@code from} once the
     * message is stored.
     */
    public void send(ChatSession from, String re, String to, String text, String messageId) {
        Account target = peers.reachable(from.key(), to, "you cannot message yourself");
        String id = messageId != null ? messageId : UUID.randomUUID().toString();
        Optional<ChatSession> online = registry.get(target.key());
        Via via = online.isPresent() ? Via.relay : Via.offline;
        PendingMessage.Answer answer = new PendingMessage.Answer(from, re);
        // One recipient's messages are numbered and pushed one at a time, so they go out in order.
        Arrivals incoming = arrivalsFor(target.key());
        synchronized (incoming) {
            PendingMessage inFlight = writing.get(id);
            if (inFlight != null) {
                if (!inFlight.sameRoute(from.key(), target.key())) {
                    throw idInUse(id);
                }
                if (inFlight.answerAlso(answer)) {
                    return; // a repeat while the first is being written: one answer each, one message
                }
            }
            if (storedIds.mightContain(id)) {
                Optional<MessageStore.Owner> owner = store.owner(id);
                if (owner.isPresent()) {
                    if (!owner.get().equals(new MessageStore.Owner(from.key(), target.key()))) {
                        throw idInUse(id);
                    }
                    // A repeat of a stored message (its sender missed the answer): stored and pushed once.
                    from.send(new ServerMessage.Sent(re, id, target.username(), via));
                    return;
                }
            }
            if (incoming.total() >= maxWaiting || incoming.from(from.key()) >= maxWaitingPerSender) {
                if (alreadyStored(id, from, target)) {
                    from.send(new ServerMessage.Sent(re, id, target.username(), via));
                    return;
                }
                throw new Refusal(ErrorCode.QUOTA, incoming.from(from.key()) >= maxWaitingPerSender
                        ? target.username() + " already has " + incoming.from(from.key()) + " of your messages waiting; "
                        + "message " + id + " not sent: try again once they have read some"
                        : target.username() + " has " + incoming.total() + " messages waiting, the most the server keeps; "
                        + "message " + id + " not sent: try again once they have read some");
            }
            StoredMessage message = new StoredMessage(lastSeq.incrementAndGet(), id, from.key(), from.username(),
                    target.key(), text, clock.millis());
            long takenBefore = incoming.taken(message.seq(), from.key());
            PendingMessage pending = new PendingMessage(message, target.username(), via, answer);
            writing.put(id, pending);
            storedIds.add(id);
            writer.store(pending);
            if (via == Via.relay) {
                metrics.relayed();
                Delivery delivery = deliveries.get(target.key());
                if (delivery != null) {
                    pushNew(delivery, message, takenBefore);
                }
            } else {
                metrics.stored();
            }
        }
    }

    private static Refusal idInUse(String id) {
        return new Refusal(ErrorCode.INVALID, "message id " + id + " is already in use for another message");
    }

    /** Whether this very message (same id, sender and recipient) is stored already, or on its way. */
    private boolean alreadyStored(String id, ChatSession from, Account target) {
        PendingMessage inFlight = writing.get(id);
        if (inFlight != null) {
            return inFlight.sameRoute(from.key(), target.key());
        }
        return store.owner(id).filter(o -> o.senderKey().equals(from.key()) && o.recipientKey().equals(target.key()))
                .isPresent();
    }

    @Override
    public void stored(PendingMessage pending, MessageStore.Owner alreadyStored) {
        StoredMessage m = pending.message;
        PendingMessage.Outcome outcome = pending.finish();
        // Stored before under this id: the same message repeated (its sender missed the answer), or another one.
        boolean same = alreadyStored == null || alreadyStored.equals(new MessageStore.Owner(m.senderKey(), m.recipientKey()));
        if (alreadyStored != null) {
            uncount(m.recipientKey(), m.senderKey()); // counted once, when it was first taken
        }
        for (PendingMessage.Answer a : outcome.answers()) {
            a.session().send(same ? new ServerMessage.Sent(a.re(), m.messageId(), pending.recipientName, pending.via)
                    : new ServerMessage.Error(a.re(), ErrorCode.INVALID, idInUse(m.messageId()).getMessage()));
        }
        writing.remove(m.messageId(), pending);
        if (same && outcome.acknowledged()) {
            if (outcome.written()) {
                writer.receipt(new MessageStore.Receipt(m.recipientKey(), m.messageId()), removed -> { });
            }
            tellDelivered(m.senderKey(), m.messageId(), pending.recipientName);
        }
    }

    @Override
    public void failed(PendingMessage pending, RuntimeException failure) {
        StoredMessage m = pending.message;
        PendingMessage.Outcome outcome = pending.finish();
        uncount(m.recipientKey(), m.senderKey());
        writing.remove(m.messageId(), pending);
        for (PendingMessage.Answer a : outcome.answers()) {
            a.session().send(new ServerMessage.Error(a.re(), ErrorCode.INTERNAL, "message " + m.messageId()
                    + " could not be stored (server storage failed): not sent; please try again"));
        }
    }

    @Override
    public void groupDone(List<PendingMessage> stores) {
        if (storedIds.full()) {
            // On the writer's thread, between groups: nothing is committed while the store is read.
            List<String> ids = new java.util.ArrayList<>(store.storedIds());
            ids.addAll(writing.keySet());
            storedIds.rebuild(ids);
        }
        // A push that found the store behind the messages taken waits for them to be written.
        Set<String> recipients = new LinkedHashSet<>();
        stores.forEach(p -> recipients.add(p.message.recipientKey()));
        for (String key : recipients) {
            Delivery delivery = deliveries.get(key);
            if (delivery != null) {
                synchronized (delivery) {
                    if (!delivery.caughtUp()) {
                        pushMore(delivery);
                    }
                }
            }
        }
    }

    private void uncount(String recipientKey, String senderKey) {
        Arrivals incoming = arrivalsFor(recipientKey);
        synchronized (incoming) {
            incoming.gone(senderKey);
        }
    }

    private void tellDelivered(String senderKey, String messageId, String recipientName) {
        registry.get(senderKey).ifPresent(s -> s.send(new ServerMessage.Delivered(messageId, recipientName)));
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
     * Written in turn with the stores, so a message taken before the block goes too. Returns once written.
     */
    void onBlocked(@Observes BlockService.Blocked blocked) {
        Arrivals incoming = arrivalsFor(blocked.blocker());
        synchronized (incoming) {
            incoming.forgetAll(blocked.blocked());
            writer.forget(new MessageStore.Forget(blocked.blocked(), blocked.blocker()));
        }
        awaitWritten();
    }

    /** Waits (at most 10 s) until everything queued so far is written. */
    void awaitWritten() {
        CountDownLatch done = new CountDownLatch(1);
        writer.barrier(done::countDown);
        try {
            done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * At login (on a worker): what is stored for the user, oldest first, as far as the window
     * allows. First what is queued to the writer is written: receipts for what the user
     * acknowledged on their last session may still wait there, and those messages must not go out again.
     */
    public void drainAtOpen(ChatSession session) {
        awaitWritten();
        Delivery delivery = new Delivery(session);
        deliveries.put(session.key(), delivery);
        synchronized (delivery) {
            pushMore(delivery);
        }
    }

    void onClosed(@Observes PresenceService.SessionClosed closed) {
        deliveries.computeIfPresent(closed.session().key(), (k, d) -> d.session == closed.session() ? null : d);
    }

    /** The session's delivery, if it is still the user's current one. */
    private Optional<Delivery> deliveryOf(ChatSession session) {
        Delivery delivery = deliveries.get(session.key());
        return delivery != null && delivery.session == session ? Optional.of(delivery) : Optional.empty();
    }

    /**
     * The recipient has the message: forget it, tell the sender if they are online (end-to-end
     * receipt), and let the next waiting message into the window.
     */
    public void acknowledge(ChatSession session, String messageId) {
        Optional<Delivery> delivery = deliveryOf(session);
        Optional<String> sender;
        if (delivery.isPresent()) {
            synchronized (delivery.get()) {
                sender = delivery.get().takeSenderOf(messageId);
            }
        } else {
            sender = Optional.empty();
        }
        if (sender.isPresent()) {
            uncount(session.key(), sender.get());
            PendingMessage pending = writing.get(messageId);
            PendingMessage.Acknowledged when = pending == null || !pending.sameRoute(sender.get(), session.key())
                    ? PendingMessage.Acknowledged.AFTER_WRITE : pending.acknowledge();
            if (when == PendingMessage.Acknowledged.AFTER_WRITE) {
                writer.receipt(new MessageStore.Receipt(session.key(), messageId), removed -> { });
                tellDelivered(sender.get(), messageId, session.username());
            } // else the message's own completion removes it and tells the sender, after its 'sent'
        } else {
            // Pushed on an earlier session (or past what is remembered): the store knows the sender.
            store.owner(messageId).filter(o -> o.recipientKey().equals(session.key())).ifPresent(owner ->
                    writer.receipt(new MessageStore.Receipt(session.key(), messageId), removed -> {
                        if (removed) {
                            uncount(session.key(), owner.senderKey());
                            tellDelivered(owner.senderKey(), messageId, session.username());
                        }
                    }));
        }
        delivery.ifPresent(d -> {
            synchronized (d) {
                pushMore(d);
            }
        });
    }

    /**
     * Pushes a message just taken for an online recipient, under its recipient's lock. If
     * everything taken before it is pushed or queued ({@code takenBefore}), it goes out at once
     * while the window has room, or joins the queue in memory; otherwise the store has it soon,
     * and it is read back in turn.
     */
    private void pushNew(Delivery delivery, StoredMessage message, long takenBefore) {
        synchronized (delivery) {
            long last = delivery.lastTakenSeq();
            if (delivery.caughtUp() && takenBefore <= last && message.seq() > last) {
                if (delivery.queuedCount() == 0 && delivery.unacknowledged() < window) {
                    deliver(delivery, message);
                } else if (delivery.queuedCount() < BATCH) {
                    delivery.queue(message);
                } else {
                    delivery.caughtUp(false); // the store will have it: read back in turn
                }
            } else {
                pushMore(delivery);
            }
        }
    }

    /**
     * Pushes what is waiting for the session beyond what it was already sent, in order, while fewer
     * than {@code window} pushes wait for their acknowledgement: first the queue in memory, then the
     * store a batch at a time. A backlog of any size so goes out at the pace the node takes it,
     * never all at once: the connection's queue stays short, and replies, notices and heartbeats are
     * never stuck behind it. Under the delivery's lock.
     */
    private void pushMore(Delivery delivery) {
        ChatSession session = delivery.session;
        while (!session.isEnded()) {
            while (delivery.unacknowledged() < window && delivery.queuedCount() > 0) {
                deliver(delivery, delivery.nextQueued());
            }
            if (delivery.queuedCount() > 0 || delivery.caughtUp()) {
                return; // the next acknowledgement goes on
            }
            List<StoredMessage> batch = store.pending(session.key(), delivery.lastTakenSeq(), BATCH);
            batch.forEach(delivery::queue);
            if (batch.size() < BATCH) {
                // Messages taken beyond what the store returned are still being written: the
                // writer calls again once they are (groupDone).
                delivery.caughtUp(delivery.lastTakenSeq() >= arrivalsFor(session.key()).highestSeq());
                if (batch.isEmpty()) {
                    return;
                }
            }
        }
    }

    /** Sends one message (under the delivery's lock) and remembers who sent it, for the ack. */
    private void deliver(Delivery delivery, StoredMessage m) {
        ChatSession session = delivery.session;
        boolean waitedOffline = m.sentAt() < session.openedAt();
        delivery.rememberSender(m.messageId(), m.senderKey());
        session.send(new ServerMessage.Deliver(m.messageId(), m.sender(), session.username(), m.body(),
                waitedOffline ? Via.offline : Via.relay, m.sentAt()));
        delivery.took(m.seq());
        if (waitedOffline) {
            metrics.deliveredFromStore();
        }
    }

    /** Writes what was taken before the server stops. */
    void onShutdown(@Observes ShutdownEvent event) {
        writer.close();
    }
}
