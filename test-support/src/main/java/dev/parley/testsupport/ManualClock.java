package dev.parley.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one clock of the tests: wall time ({@link Clock}), a monotonic {@link #nanoTime()} and
 * one-shot timers, all standing still until a test moves them with {@link #advance}, which runs
 * the timers that came due, in order, on the caller's thread. Code that takes its time from an
 * injected clock is then tested without waiting for it.
 */
public class ManualClock extends Clock {
    private final Object lock = new Object();
    private final List<Timer> timers = new ArrayList<>();
    private long offsetNanos;
    private final long startMillis;
    private long sequence;

    /** A clock that starts at {@code start}. */
    public ManualClock(Instant start) {
        this.startMillis = start.toEpochMilli();
    }

    /** A clock that starts now. */
    public ManualClock() {
        this(Instant.now());
    }

    /** A pending timer; {@link #cancel()} keeps it from running. */
    public final class Timer {
        private final long dueNanos;
        private final long order;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long dueNanos, long order, Runnable task) {
            this.dueNanos = dueNanos;
            this.order = order;
            this.task = task;
        }

        public void cancel() {
            synchronized (lock) {
                cancelled = true;
                timers.remove(this);
            }
        }
    }

    /** Moves time forward, running each timer that comes due at its own time, earliest first. */
    public void advance(Duration by) {
        long target;
        synchronized (lock) {
            target = offsetNanos + by.toNanos();
        }
        while (true) {
            Timer next;
            synchronized (lock) {
                next = timers.stream().filter(t -> t.dueNanos <= target)
                        .min(Comparator.comparingLong((Timer t) -> t.dueNanos).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    offsetNanos = target;
                    return;
                }
                timers.remove(next);
                offsetNanos = Math.max(offsetNanos, next.dueNanos);
            }
            next.task.run();
        }
    }

    /** Runs {@code task} once, when time has been moved {@code delay} past now. */
    public Timer schedule(Duration delay, Runnable task) {
        synchronized (lock) {
            Timer t = new Timer(offsetNanos + Math.max(0, delay.toNanos()), sequence++, task);
            timers.add(t);
            return t;
        }
    }

    /** How many timers wait to run. */
    public int pendingTimers() {
        synchronized (lock) {
            return timers.size();
        }
    }

    /** Monotonic time, like {@link System#nanoTime()}: only differences mean something. */
    public long nanoTime() {
        synchronized (lock) {
            return offsetNanos;
        }
    }

    @Override
    public long millis() {
        return startMillis + nanoTime() / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
