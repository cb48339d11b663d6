package dev.parley.rendezvous.core;

import dev.parley.common.protocol.Username;
import dev.parley.rendezvous.storage.Jdbc;
import java.util.List;
import java.util.Optional;

/** Accounts in the database; found ones are cached by key (see {@link KeyedCache}). */
public class AccountStore {
    private static final int CACHED = 200_000;
    private final Jdbc jdbc;
    private final KeyedCache<Account> byKey = new KeyedCache<>(CACHED);

    public AccountStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Account> find(String username) {
        // A name that is not there is not cached: it may be registered any moment.
        return Optional.ofNullable(byKey.get(Username.key(username), key -> jdbc.one(
                "select username_key, username, password_hash from account where username_key = ?",
                rs -> new Account(rs.getString(1), rs.getString(2), rs.getString(3)), key).orElse(null)));
    }

    /** Whether {@link #find} would answer for this name from memory. */
    public boolean isCached(String username) {
        return byKey.has(Username.key(username));
    }

    /** Drops what is cached for the account: it changed (here or, later, on another instance). */
    public void forget(String key) {
        byKey.forget(key);
    }

    /** Creates the account; false if the name is taken in any letter case. */
    public boolean create(String username, String passwordHash, long now) {
        return jdbc.insertIfAbsent(
                "insert into account (username_key, username, password_hash, created_at, skeleton) values (?, ?, ?, ?, ?)",
                Username.key(username), username, passwordHash, now, Username.skeleton(username));
    }

    /** An existing name that reads like {@code username} at a glance (another name, not the same one in other case). */
    public Optional<String> confusableWith(String username) {
        return jdbc.one("select username from account where skeleton = ? and username_key <> ?",
                rs -> rs.getString(1), Username.skeleton(username), Username.key(username));
    }

    public void updatePasswordHash(String key, String passwordHash) {
        jdbc.update("update account set password_hash = ? where username_key = ?", passwordHash, key);
        forget(key);
    }

    public void markSeen(String key, long at) {
        jdbc.update("update account set last_seen_at = ? where username_key = ?", at, key);
    }

    /** Display names of users last seen at or after {@code since}. */
    public List<String> seenSince(long since) {
        return jdbc.list("select username from account where last_seen_at >= ?", rs -> rs.getString(1), since);
    }
}
