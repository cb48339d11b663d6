package dev.parley.rendezvous.consent;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Standing consent between two users, by account key: an unordered pair, kept until
 * {@code stopprivate} or a block removes it. Stored once per pair, the lower key first.
 */
public class ContactStore {
    /** One of a user's contacts: its account key, display name, and identity key if its node announced one. */
    public record Contact(String key, String username, Optional<String> identityKey) {
    }

    private final Jdbc jdbc;

    public ContactStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** False if the two are contacts already. */
    public boolean add(String x, String y, long now) {
        Pair pair = Pair.of(x, y);
        return jdbc.insertIfAbsent("insert into contact (first_key, second_key, created_at) values (?, ?, ?)",
                pair.first(), pair.second(), now);
    }

    /** False if the two were not contacts. */
    public boolean remove(String x, String y) {
        Pair pair = Pair.of(x, y);
        return jdbc.update("delete from contact where first_key = ? and second_key = ?", pair.first(), pair.second()) > 0;
    }

    public boolean contacts(String x, String y) {
        Pair pair = Pair.of(x, y);
        return jdbc.one("select 1 from contact where first_key = ? and second_key = ?", rs -> true,
                pair.first(), pair.second()).isPresent();
    }

    /** The contacts of {@code key}, sorted by name ignoring case. */
    public List<Contact> of(String key) {
        // Sorted here rather than in SQL: collations differ between databases.
        List<Contact> contacts = new ArrayList<>(jdbc.list("select a.username_key, a.username, a.identity_key "
                + "from contact c join account a on a.username_key = c.second_key where c.first_key = ? "
                + "union select a.username_key, a.username, a.identity_key "
                + "from contact c join account a on a.username_key = c.first_key where c.second_key = ?",
                rs -> new Contact(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3))), key, key));
        contacts.sort((a, b) -> String.CASE_INSENSITIVE_ORDER.compare(a.username(), b.username()));
        return contacts;
    }

    /** An unordered pair of account keys, as stored: the lower first. */
    private record Pair(String first, String second) {
        static Pair of(String x, String y) {
            return x.compareTo(y) <= 0 ? new Pair(x, y) : new Pair(y, x);
        }
    }
}
