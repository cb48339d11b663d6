package dev.parley.rendezvous.account;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.Optional;

/**
 * Failed-login counters and locks, kept in the database so every server instance sees the same
 * lockout whatever address the attempts come from. A counter is named by a username key (attempts
 * from any client) or by a known device. Its count includes attempts still being checked: an
 * attempt is reserved before its password is hashed, so a burst of parallel guesses can never
 * check more passwords than the policy allows.
 */
public class LoginFailureStore {
    private final Jdbc jdbc;

    public LoginFailureStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public record State(int failures, long lockedUntil) {
    }

    public Optional<State> get(String counter) {
        return jdbc.one("select failures, locked_until from login_failure where username_key = ?",
                rs -> new State(rs.getInt(1), rs.getLong(2)), counter);
    }

    /**
     * Counts one more attempt, atomically, if the counter is not locked and has fewer than
     * {@code limit}; false when it has none left. Attempts reserved before {@code abandonedBefore}
     * and never settled (the server died while checking them) no longer hold the counter.
     */
    public boolean reserve(String counter, long now, int limit, long abandonedBefore) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (jdbc.update("update login_failure set failures = failures + 1, updated_at = ? "
                    + "where username_key = ? and locked_until <= ? and failures < ?", now, counter, now, limit) == 1) {
                return true;
            }
            if (jdbc.update("update login_failure set failures = 1, locked_until = 0, updated_at = ? "
                    + "where username_key = ? and locked_until <= ? and updated_at < ?", now, counter, now,
                    abandonedBefore) == 1) {
                return true;
            }
            if (jdbc.insertIfAbsent("insert into login_failure (username_key, failures, locked_until, updated_at) "
                    + "values (?, 1, 0, ?)", counter, now)) {
                return true;
            }
            Optional<State> state = get(counter);
            if (state.isPresent() && (state.get().lockedUntil() > now || state.get().failures() >= limit)) {
                return false; // locked, or every allowed attempt is taken
            }
            // The row changed between the statements: a success cleared it, or a concurrent attempt
            // inserted it first (two logins to one account at once). Neither refuses this one: try again.
        }
        return false;
    }

    /**
     * A reserved attempt failed: if the counter has used up its {@code limit}, locks it until
     * {@code until} and starts the count again for after the lock. True if this call locked it.
     */
    public boolean lockIfExhausted(String counter, int limit, long until, long now) {
        return jdbc.update("update login_failure set failures = 0, locked_until = ?, updated_at = ? "
                + "where username_key = ? and failures >= ? and locked_until <= ?", until, now, counter, limit, now) == 1;
    }

    public void clear(String counter) {
        jdbc.update("delete from login_failure where username_key = ?", counter);
    }

    /** Forgets rows with no lock in force that have not changed since {@code before}. */
    public int purge(long before, long now) {
        return jdbc.update("delete from login_failure where updated_at < ? and locked_until < ?", before, now);
    }
}
