package dev.parley.rendezvous.throttle;

/** A token bucket on a millisecond clock: full at {@code rate.count()}, refilled evenly over {@code rate.period()}. */
final class TokenBucket {
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private long last;

    TokenBucket(Rate rate, long now) {
        this.capacity = rate.count();
        this.perMilli = rate.count() / (double) rate.period().toMillis();
        this.tokens = capacity;
        this.last = now;
    }

    /** Takes a token: 0 if there was one, otherwise the milliseconds until there will be. */
    synchronized long take(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perMilli);
    }

    /** Full again: nothing would be lost by forgetting it. */
    synchronized boolean full(long now) {
        refill(now);
        return tokens >= capacity;
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * perMilli);
            last = now;
        }
    }
}
