package dev.parley.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The one clock of the tests: wall time ({@link Clock}), a monotonic {@link #nanoTime()} and
 * one-shot timers, all standing still until a test moves them with {@link #advance}, which runs
 * the timers that came due, in order, on the caller's thread. Code that takes its time from an
 * injected clock is then tested without waiting for it.
 *
 * <p>A clock made {@linkplain #ManualClock(boolean) to follow real time} also moves by itself, as
 * time passes, with {@code advance} adding on top: for a whole server under test, whose sessions and
 * messages need time to go on while a test jumps over a lockout or an idle timeout. Its timers still
 * run only from {@code advance}.
 */
public class ManualClock extends Clock {
    private final Object lock = new Object();
    private final List<Timer> timers = new ArrayList<>();
    private long offsetNanos;
    private final long startMillis;
    /** Real time since this clock was made, or none for a clock that stands still. */
    private final LongSupplier realElapsed;
    private long sequence;

    /** A clock that starts at {@code start} and stands still until advanced. */
    public ManualClock(Instant start) {
        this.startMillis = start.toEpochMilli();
        this.realElapsed = () -> 0;
    }

    /** A clock that starts now and stands still until advanced. */
    public ManualClock() {
        this(Instant.now());
    }

    /** A clock that starts now and, if {@code followRealTime}, moves with real time as well. */
    protected ManualClock(boolean followRealTime) {
        this.startMillis = System.currentTimeMillis();
        long origin = System.nanoTime();
        this.realElapsed = followRealTime ? () -> System.nanoTime() - origin : () -> 0;
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
                long real = realElapsed.getAsLong();
                next = timers.stream().filter(t -> t.dueNanos <= real + target)
                        .min(Comparator.comparingLong((Timer t) -> t.dueNanos).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    offsetNanos = target;
                    return;
                }
                timers.remove(next);
                offsetNanos = Math.max(offsetNanos, next.dueNanos - real);
            }
            next.task.run();
        }
    }

    /** Runs {@code task} once, when time has been moved {@code delay} past now. */
    public Timer schedule(Duration delay, Runnable task) {
        synchronized (lock) {
            Timer t = new Timer(nanoTime() + Math.max(0, delay.toNanos()), sequence++, task);
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
            return realElapsed.getAsLong() + offsetNanos;
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
