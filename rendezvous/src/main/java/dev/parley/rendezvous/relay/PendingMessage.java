package dev.parley.rendezvous.relay;

import dev.parley.common.protocol.ServerMessage.Via;
import dev.parley.rendezvous.presence.ChatSession;
import java.util.ArrayList;
import java.util.List;

/**
 * A message taken from its sender and not yet written to the store. It may already have been pushed
 * to its recipient (from memory, at once), but its sender hears {@code sent} only once its group has
 * committed. If the recipient acknowledges it before the write starts, it is never written at all.
 * Guarded by this object: the writer and an acknowledgement race for it.
 */
final class PendingMessage {
    /** What an acknowledgement found. */
    enum Acknowledged {
        /** Before its write: it will not be written; its completion tells the sender. */
        BEFORE_WRITE,
        /** During its write: its completion removes it again and tells the sender. */
        DURING_WRITE,
        /** Its write is over: an acknowledgement like any other. */
        AFTER_WRITE
    }

    private enum State { QUEUED, WRITING, DONE }

    /** Someone to tell {@code sent}: the sender's session and its request id. */
    record Answer(ChatSession session, String re) {
    }

    final StoredMessage message;
    final String recipientName;
    final Via via;
    private final List<Answer> answers = new ArrayList<>(1);
    private State state = State.QUEUED;
    private boolean acknowledged;
    private boolean written;

    PendingMessage(StoredMessage message, String recipientName, Via via, Answer answer) {
        this.message = message;
        this.recipientName = recipientName;
        this.via = via;
        this.answers.add(answer);
    }

    boolean sameRoute(String senderKey, String recipientKey) {
        return message.senderKey().equals(senderKey) && message.recipientKey().equals(recipientKey);
    }

    /** The sender repeated the message before its write was over: answer that request too. False if too late. */
    synchronized boolean answerAlso(Answer answer) {
        if (state == State.DONE) {
            return false;
        }
        answers.add(answer);
        return true;
    }

    synchronized Acknowledged acknowledge() {
        if (state == State.DONE) {
            return Acknowledged.AFTER_WRITE;
        }
        acknowledged = true;
        return state == State.QUEUED ? Acknowledged.BEFORE_WRITE : Acknowledged.DURING_WRITE;
    }

    /** The writer takes it into a group: true if it must be written, false if its recipient already has it. */
    synchronized boolean startWrite() {
        if (acknowledged) {
            state = State.DONE;
            return false;
        }
        state = State.WRITING;
        written = true;
        return true;
    }

    /** Its write is over (or was not needed): whom to answer, and whether the recipient acknowledged it meanwhile. */
    synchronized Outcome finish() {
        state = State.DONE;
        return new Outcome(List.copyOf(answers), acknowledged, written);
    }

    /** Whom to answer; whether the recipient acknowledged it before this; whether it went to the store. */
    record Outcome(List<Answer> answers, boolean acknowledged, boolean written) {
    }
}
