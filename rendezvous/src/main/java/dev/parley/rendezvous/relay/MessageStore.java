package dev.parley.rendezvous.relay;

import dev.parley.rendezvous.storage.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable store-and-forward: every unicast message is written before its sender is told {@code sent}
 * and removed only when the recipient acknowledges it, so neither a dropped connection nor a
 * restart loses one. Writes come in groups ({@link #write}): one transaction for everything that
 * arrived while the last one committed.
 */
public class MessageStore {
    /** Ids looked up per statement when checking which of a group are stored already. */
    private static final int IDS_PER_LOOKUP = 500;

    private final Jdbc jdbc;

    public MessageStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Who sent a stored message to whom. */
    public record Owner(String senderKey, String recipientKey) {
    }

    /** A receipt: the recipient has the message, it can go. */
    public record Receipt(String recipientKey, String messageId) {
    }

    /** Everything waiting from one sender for one recipient, to be dropped (a block). */
    public record Forget(String senderKey, String recipientKey) {
    }

    /** One group of writes, applied in this order: stores, receipts, forgets. */
    public record Group(List<StoredMessage> stores, List<Receipt> receipts, List<Forget> forgets) {
    }

    /**
     * What a group did: the ids among its stores that were stored already (a sender repeating a
     * message whose answer it missed, or an id taken by another message), which were therefore not
     * written again; and for each receipt whether it removed a message.
     */
    public record Written(Map<String, Owner> alreadyStored, boolean[] removed) {
    }

    /** Applies a group in one transaction: all of it or, if this throws, none of it. */
    public Written write(Group group) {
        return jdbc.transaction("message group", c -> {
            Map<String, Owner> already = storedAmong(c, group.stores());
            if (group.stores().size() > already.size()) {
                try (PreparedStatement insert = c.prepareStatement("insert into stored_message (seq, message_id, "
                        + "sender_key, sender, recipient_key, body, sent_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                    for (StoredMessage m : group.stores()) {
                        if (!already.containsKey(m.messageId())) {
                            Jdbc.bind(insert, m.seq(), m.messageId(), m.senderKey(), m.sender(), m.recipientKey(),
                                    m.body(), m.sentAt()).addBatch();
                        }
                    }
                    insert.executeBatch();
                }
            }
            boolean[] removed = new boolean[group.receipts().size()];
            if (!group.receipts().isEmpty()) {
                // By the unique id. Given "recipient_key = ?" as such, PostgreSQL (its statistics
                // taken while the table was small) chose the recipient's index and scanned every
                // message waiting for them, per receipt: 100 ms a group under figure 4's load. The
                // expression keeps the recipient check out of any index.
                try (PreparedStatement delete = c.prepareStatement(
                        "delete from stored_message where message_id = ? and recipient_key || '' = ?")) {
                    for (Receipt r : group.receipts()) {
                        Jdbc.bind(delete, r.messageId(), r.recipientKey()).addBatch();
                    }
                    int[] counts = delete.executeBatch();
                    for (int i = 0; i < counts.length; i++) {
                        removed[i] = counts[i] > 0;
                    }
                }
            }
            if (!group.forgets().isEmpty()) {
                try (PreparedStatement forget = c.prepareStatement(
                        "delete from stored_message where sender_key = ? and recipient_key = ?")) {
                    for (Forget f : group.forgets()) {
                        Jdbc.bind(forget, f.senderKey(), f.recipientKey()).addBatch();
                    }
                    forget.executeBatch();
                }
            }
            return new Written(already, removed);
        });
    }

    private static Map<String, Owner> storedAmong(Connection c, List<StoredMessage> stores) throws SQLException {
        Map<String, Owner> found = new HashMap<>();
        for (int from = 0; from < stores.size(); from += IDS_PER_LOOKUP) {
            List<StoredMessage> part = stores.subList(from, Math.min(stores.size(), from + IDS_PER_LOOKUP));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement s = c.prepareStatement("select message_id, sender_key, recipient_key "
                    + "from stored_message where message_id in (" + marks + ")")) {
                Jdbc.bind(s, part.stream().map(StoredMessage::messageId).toArray());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), new Owner(rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        return found;
    }

    /** The highest sequence number stored, 0 if none: the relay numbers new messages after it. */
    public long highestSeq() {
        return jdbc.one("select coalesce(max(seq), 0) from stored_message", rs -> rs.getLong(1)).orElse(0L);
    }

    /** The ids of every stored message. */
    public List<String> storedIds() {
        return jdbc.list("select message_id from stored_message", rs -> rs.getString(1));
    }

    /** How many messages wait, per recipient and sender. */
    public record WaitingCount(String recipientKey, String senderKey, long count) {
    }

    public List<WaitingCount> waitingCounts() {
        return jdbc.list("select recipient_key, sender_key, count(*) from stored_message group by recipient_key, sender_key",
                rs -> new WaitingCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    /** The sender and recipient of the message with this id, while it is stored. */
    public Optional<Owner> owner(String messageId) {
        return jdbc.one("select sender_key, recipient_key from stored_message where message_id = ?",
                rs -> new Owner(rs.getString(1), rs.getString(2)), messageId);
    }

    /** Up to {@code limit} of the recipient's messages after {@code afterSeq}, oldest first. */
    public List<StoredMessage> pending(String recipientKey, long afterSeq, int limit) {
        // fetch first N rows only is standard SQL, understood by H2 and PostgreSQL alike.
        return new ArrayList<>(jdbc.list("select seq, message_id, sender_key, sender, recipient_key, body, sent_at "
                        + "from stored_message where recipient_key = ? and seq > ? order by seq fetch first " + limit
                        + " rows only",
                rs -> new StoredMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getLong(7)),
                recipientKey, afterSeq));
    }

    public long count(String recipientKey) {
        return jdbc.one("select count(*) from stored_message where recipient_key = ?", rs -> rs.getLong(1),
                recipientKey).orElse(0L);
    }
}
