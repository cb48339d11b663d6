package dev.parley.rendezvous.account;

import dev.parley.rendezvous.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds password hashing, the server's most expensive work (19 MiB and tens of milliseconds of a
 * core per Argon2id hash): at most {@code concurrency} at once, a short line of at most as many
 * again waiting up to {@link #MAX_WAIT}, and everyone else turned away at once with {@link Busy} —
 * a fast {@code retry-later}, not a queue that grows with the attack.
 */
@ApplicationScoped
public class HashGate {
    static final Duration MAX_WAIT = Duration.ofSeconds(2);

    /** The gate is full: try again in a moment. */
    public static final class Busy extends Exception {
        Busy() {
            super("too many password checks at once", null, false, false);
        }
    }

    private final Semaphore running;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    @Inject
    public HashGate(ParleyConfig config) {
        this(config.passwordHash().concurrency() > 0 ? config.passwordHash().concurrency()
                : Runtime.getRuntime().availableProcessors());
    }

    public HashGate(int concurrency) {
        this.running = new Semaphore(concurrency);
        this.maxWaiting = concurrency;
    }

    /** Runs the hashing work if there is room for it now or very soon. */
    public <T> T run(Supplier<T> work) throws Busy {
        if (!running.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new Busy();
            }
            try {
                if (!running.tryAcquire(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new Busy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Busy();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            return work.get();
        } finally {
            running.release();
        }
    }
}
