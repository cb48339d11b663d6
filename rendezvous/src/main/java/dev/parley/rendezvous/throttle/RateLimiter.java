package dev.parley.rendezvous.throttle;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One kind of request, limited per key (an address, a user) and overall. Memory is bounded: buckets
 * that have filled up again are forgotten, and while {@value #MAX_KEYS} keys are being limited at
 * once a new key is refused rather than remembered.
 */
public final class RateLimiter {
    static final int MAX_KEYS = 100_000;

    private final Rate perKey;
    private final TokenBucket global;
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Rate perKey, Rate global, Clock clock) {
        this.perKey = perKey;
        this.global = new TokenBucket(global, clock.millis());
        this.clock = clock;
    }

    /** Takes one request for the key: empty if it may go ahead, otherwise how long to wait. */
    public Optional<Duration> acquire(String key) {
        long now = clock.millis();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= MAX_KEYS) {
                buckets.values().removeIf(b -> b.full(now));
                if (buckets.size() >= MAX_KEYS) {
                    return Optional.of(perKey.period());
                }
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(perKey, now));
        }
        long wait = bucket.take(now);
        if (wait == 0) {
            wait = global.take(now);
        }
        return wait == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(wait));
    }

    /** Forgets the buckets that have filled up again. */
    public void forgetIdle() {
        long now = clock.millis();
        buckets.values().removeIf(b -> b.full(now));
    }

    int keys() {
        return buckets.size();
    }
}
