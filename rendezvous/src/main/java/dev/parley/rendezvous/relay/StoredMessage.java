package dev.parley.rendezvous.relay;

/** A unicast message held until its recipient acknowledges it. */
public record StoredMessage(long seq, String messageId, String senderKey, String sender, String recipientKey, String body,
        long sentAt) {
}
