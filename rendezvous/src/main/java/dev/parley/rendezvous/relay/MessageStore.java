package dev.parley.rendezvous.relay;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.List;
import java.util.OptionalLong;

/**
 * Durable store-and-forward: every unicast message is written before it is pushed and removed only
 * when the recipient acknowledges it, so neither a dropped connection nor a restart loses one.
 */
public class MessageStore {
    private final Jdbc jdbc;

    public MessageStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the message and returns its sequence number (its place in delivery order), so the
     * caller can push it without reading it back; empty if a message with this id is already stored.
     */
    public OptionalLong store(String messageId, String senderKey, String sender, String recipientKey, String body,
            long sentAt) {
        return jdbc.insertReturningKey("insert into stored_message (message_id, sender_key, sender, recipient_key, body, "
                + "sent_at) values (?, ?, ?, ?, ?, ?)", "seq", messageId, senderKey, sender, recipientKey, body, sentAt);
    }

    /** How many messages wait for a recipient: in all, and from one sender. */
    public record Waiting(long total, long fromSender) {
    }

    public Waiting waiting(String recipientKey, String senderKey) {
        return jdbc.one("select count(*), coalesce(sum(case when sender_key = ? then 1 else 0 end), 0) "
                        + "from stored_message where recipient_key = ?",
                rs -> new Waiting(rs.getLong(1), rs.getLong(2)), senderKey, recipientKey).orElse(new Waiting(0, 0));
    }

    /** Who sent a stored message to whom. */
    public record Owner(String senderKey, String recipientKey) {
    }

    /** The sender and recipient of the message with this id, while it is stored. */
    public java.util.Optional<Owner> owner(String messageId) {
        return jdbc.one("select sender_key, recipient_key from stored_message where message_id = ?",
                rs -> new Owner(rs.getString(1), rs.getString(2)), messageId);
    }

    /** Who stored the message with this id, while it is stored. */
    public java.util.Optional<String> senderOf(String messageId) {
        return jdbc.one("select sender_key from stored_message where message_id = ?", rs -> rs.getString(1), messageId);
    }

    /** Up to {@code limit} of the recipient's messages after {@code afterSeq}, oldest first. */
    public List<StoredMessage> pending(String recipientKey, long afterSeq, int limit) {
        // fetch first N rows only is standard SQL, understood by H2 and PostgreSQL alike.
        return jdbc.list("select seq, message_id, sender_key, sender, recipient_key, body, sent_at from stored_message "
                        + "where recipient_key = ? and seq > ? order by seq fetch first " + limit + " rows only",
                rs -> new StoredMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getLong(7)),
                recipientKey, afterSeq);
    }

    /** Forgets everything waiting from one sender for one recipient; returns how many. */
    public int forget(String senderKey, String recipientKey) {
        return jdbc.update("delete from stored_message where sender_key = ? and recipient_key = ?", senderKey, recipientKey);
    }

    /** Forgets a message its recipient has shown; false if it was not theirs or already gone. */
    public boolean acknowledge(String recipientKey, String messageId) {
        return jdbc.update("delete from stored_message where recipient_key = ? and message_id = ?",
                recipientKey, messageId) > 0;
    }

    public long count(String recipientKey) {
        return jdbc.one("select count(*) from stored_message where recipient_key = ?", rs -> rs.getLong(1),
                recipientKey).orElse(0L);
    }
}
