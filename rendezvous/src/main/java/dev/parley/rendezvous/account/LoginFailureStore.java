package dev.parley.rendezvous.account;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.Optional;

/**
 * Failed-login counts and locks, kept in the database so every server instance sees the same
 * lockout whatever address the attempts come from.
 */
public class LoginFailureStore {
    private final Jdbc jdbc;

    public LoginFailureStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public record State(int failures, long lockedUntil) {
    }

    public Optional<State> get(String key) {
        return jdbc.one("select failures, locked_until from login_failure where username_key = ?",
                rs -> new State(rs.getInt(1), rs.getLong(2)), key);
    }

    /** Adds one failure atomically and returns the new count. */
    public int addFailure(String key, long now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            int updated = jdbc.update(
                    "update login_failure set failures = failures + 1, updated_at = ? where username_key = ?", now, key);
            if (updated == 0 && !jdbc.insertIfAbsent(
                    "insert into login_failure (username_key, failures, locked_until, updated_at) values (?, 1, 0, ?)",
                    key, now)) {
                continue; // another attempt inserted the row first: count on it
            }
            return get(key).map(State::failures).orElse(1);
        }
        return get(key).map(State::failures).orElse(1);
    }

    /** Locks until {@code until} and starts the count again for after the lock. */
    public void lock(String key, long until, long now) {
        jdbc.update("update login_failure set failures = 0, locked_until = ?, updated_at = ? where username_key = ?",
                until, now, key);
    }

    public void clear(String key) {
        jdbc.update("delete from login_failure where username_key = ?", key);
    }

    /** Forgets rows with no lock in force that have not changed since {@code before}. */
    public int purge(long before, long now) {
        return jdbc.update("delete from login_failure where updated_at < ? and locked_until < ?", before, now);
    }
}
