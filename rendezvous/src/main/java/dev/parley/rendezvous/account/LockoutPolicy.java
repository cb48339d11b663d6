package dev.parley.rendezvous.account;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * N wrong passwords lock a counter for a while, whatever address they come from. Counters are kept
 * for names with no account too, so a lockout reveals nothing.
 *
 * <p>Reserve, then settle: {@link #reserve} counts an attempt before its password is checked, and
 * refuses once N are counted (checked or still being checked), so no burst of parallel guesses gets
 * more than N passwords checked, on one server instance or several. {@link #failed} then locks the
 * counter if the allowance is spent; {@link #succeeded} starts it afresh.
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

    /** The counter for attempts from any client at a username. */
    public static String anyClient(String usernameKey) {
        return usernameKey;
    }

    /** The counter of one known device (by its token's hash). */
    public static String device(String tokenHash) {
        return "device:" + tokenHash;
    }

    /** How long to wait when the allowance is taken by attempts still being checked (not a lock). */
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(1);

    /**
     * Why a password may not be checked now: the counter is {@code locked} for {@code remaining}, or
     * (not locked) its allowance is taken by attempts still being checked, which settle in moments.
     */
    public record Refused(boolean locked, Duration remaining) {
    }

    /** Takes one attempt for the counter: empty when the password may be checked. */
    public Optional<Refused> reserve(String counter) {
        long now = clock.millis();
        if (store.reserve(counter, now, attempts, now - duration.toMillis())) {
            return Optional.empty();
        }
        return Optional.of(store.get(counter)
                .filter(s -> s.lockedUntil() > now)
                .map(s -> new Refused(true, Duration.ofMillis(s.lockedUntil() - now)))
                .orElse(new Refused(false, IN_FLIGHT_WAIT)));
    }

    /** A reserved attempt had the wrong password; returns the lock it caused, if it spent the allowance. */
    public Optional<Duration> failed(String counter) {
        long now = clock.millis();
        return store.lockIfExhausted(counter, attempts, now + duration.toMillis(), now)
                ? Optional.of(duration)
                : Optional.empty();
    }

    /** A reserved attempt had the right password: the count starts again. */
    public void succeeded(String counter) {
        store.clear(counter);
    }

    public int attempts() {
        return attempts;
    }
}
