package dev.parley.rendezvous.account;

import dev.parley.rendezvous.storage.Jdbc;
import java.time.Duration;
import java.util.Optional;

/**
 * Bearer tokens for the session: 256 random bits, stored only as their SHA-256, one per account.
 * Issuing a new one revokes the old, which is what makes a second login a takeover. A token
 * expires {@code maxAge} after its login, and after {@code idleAge} without being used to open
 * a session (a session that ends counts as a use, so a node that stays connected keeps it).
 */
public class SessionTokenStore {
    private final Jdbc jdbc;
    private final long maxAgeMillis;
    private final long idleAgeMillis;

    public SessionTokenStore(Jdbc jdbc, Duration maxAge, Duration idleAge) {
        this.jdbc = jdbc;
        this.maxAgeMillis = maxAge.toMillis();
        this.idleAgeMillis = idleAge.toMillis();
    }

    public String issue(String key, long now) {
        String token = SecretTokens.random();
        String hash = SecretTokens.digest(token);
        String update = "update session_token set token_hash = ?, created_at = ?, last_used_at = ? where username_key = ?";
        if (jdbc.update(update, hash, now, now, key) == 0
                && !jdbc.insertIfAbsent("insert into session_token (username_key, token_hash, created_at, last_used_at) "
                + "values (?, ?, ?, ?)", key, hash, now, now)) {
            jdbc.update(update, hash, now, now, key); // a concurrent login inserted first: the later one wins
        }
        return token;
    }

    /** The account key a token belongs to, if it is the account's current token and has not expired; marks it used. */
    public Optional<String> resolve(String token, long now) {
        if (!SecretTokens.plausible(token)) {
            return Optional.empty();
        }
        String hash = SecretTokens.digest(token);
        Optional<String> key = jdbc.one("select username_key from session_token where token_hash = ? "
                + "and created_at > ? and last_used_at > ?", rs -> rs.getString(1), hash, now - maxAgeMillis,
                now - idleAgeMillis);
        key.ifPresent(k -> used(k, now));
        return key;
    }

    /** The account's token was in use until {@code now} (its session just ended). */
    public void used(String key, long now) {
        jdbc.update("update session_token set last_used_at = ? where username_key = ? and last_used_at < ?", now, key, now);
    }

    public void revoke(String key) {
        jdbc.update("delete from session_token where username_key = ?", key);
    }
}
