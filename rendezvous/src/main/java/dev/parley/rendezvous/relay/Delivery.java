package dev.parley.rendezvous.relay;

import dev.parley.rendezvous.presence.ChatSession;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where delivery to one session has got to, guarded by this object: messages go out once per
 * session, in sequence order, at most {@code window} unacknowledged at a time. Messages beyond the
 * window wait in a short queue in memory; beyond that, in the store, read back a batch at a time.
 */
final class Delivery {
    /** More than any window of unacknowledged pushes (see {@code RelayService}), so every one is remembered. */
    static final int MAX_AWAITING_ACK = 1000;

    final ChatSession session;
    /** Highest sequence number pushed or queued on this session. */
    private long lastTakenSeq;
    /** Messages taken beyond the window, in sequence order. */
    private final ArrayDeque<StoredMessage> queued = new ArrayDeque<>();
    /** Whether nothing for the user lies beyond {@link #lastTakenSeq} (stored or on its way to the store). */
    private boolean caughtUp;
    /** Message id → sender key, for messages pushed on this session and not acknowledged yet. */
    private final Map<String, String> awaitingAck = new HashMap<>();

    Delivery(ChatSession session) {
        this.session = session;
    }

    long lastTakenSeq() {
        return lastTakenSeq;
    }

    void took(long seq) {
        lastTakenSeq = Math.max(lastTakenSeq, seq);
    }

    void queue(StoredMessage message) {
        queued.addLast(message);
        took(message.seq());
    }

    StoredMessage nextQueued() {
        return queued.pollFirst();
    }

    int queuedCount() {
        return queued.size();
    }

    boolean caughtUp() {
        return caughtUp;
    }

    void caughtUp(boolean caughtUp) {
        this.caughtUp = caughtUp;
    }

    /**
     * Remembers who sent a message pushed on this session, so its acknowledgement need not look
     * the sender up. Bounded: past the limit (a node that does not acknowledge) nothing is
     * remembered, and the acknowledgement asks the store instead.
     */
    void rememberSender(String messageId, String senderKey) {
        if (awaitingAck.size() < MAX_AWAITING_ACK) {
            awaitingAck.put(messageId, senderKey);
        }
    }

    /** Who sent a message pushed on this session, if remembered; forgets it. */
    Optional<String> takeSenderOf(String messageId) {
        return Optional.ofNullable(awaitingAck.remove(messageId));
    }

    /** Messages pushed on this session and not acknowledged yet. */
    int unacknowledged() {
        return awaitingAck.size();
    }
}
