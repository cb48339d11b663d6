package dev.parley.rendezvous.account;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * N consecutive wrong passwords lock a username for a while, whatever address they come from.
 * Counts are kept for names with no account too, so a lockout reveals nothing.
 */
public class LockoutPolicy {
    private final LoginFailureStore store;
    private final Clock clock;
    private final int attempts;
    private final Duration duration;

    public LockoutPolicy(LoginFailureStore store, Clock clock, int attempts, Duration duration) {
        if (attempts < 1) {
            throw new IllegalArgumentException("lockout attempts must be at least 1");
        }
        this.store = store;
        this.clock = clock;
        this.attempts = attempts;
        this.duration = duration;
    }

    /** Time left on a lock in force, if any. */
    public Optional<Duration> lockedFor(String key) {
        long now = clock.millis();
        return store.get(key)
                .filter(s -> s.lockedUntil() > now)
                .map(s -> Duration.ofMillis(s.lockedUntil() - now));
    }

    /** Records a wrong password; returns the lock it caused, if this was the last allowed attempt. */
    public Optional<Duration> recordFailure(String key) {
        long now = clock.millis();
        int failures = store.addFailure(key, now);
        if (failures >= attempts) {
            store.lock(key, now + duration.toMillis(), now);
            return Optional.of(duration);
        }
        return Optional.empty();
    }

    public void recordSuccess(String key) {
        store.clear(key);
    }

    public int attempts() {
        return attempts;
    }
}
