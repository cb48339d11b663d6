package dev.parley.node.p2p;

import java.util.function.LongSupplier;

/**
 * A token bucket: tokens come back at a steady rate, up to a burst. {@link #tryTake} takes one only
 * if there is one (admission); {@link #take} always takes and may overdraw the bucket, and
 * {@link #nanosUntilEven} then says how long until the debt is paid (back-pressure). Not
 * thread-safe: each owner uses it from one thread or under its own lock.
 */
final class TokenBucket {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, double burst, LongSupplier nanoClock) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** Tokens now (negative while overdrawn). */
    double available() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastNanos) * perNano);
        lastNanos = now;
        return tokens;
    }

    boolean tryTake() {
        if (available() < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    void take(double n) {
        available();
        tokens -= n;
    }

    /** 0 unless overdrawn; else how long until the bucket is back to zero. */
    long nanosUntilEven() {
        double now = available();
        return now >= 0 ? 0 : (long) Math.ceil(-now / perNano);
    }
}
