package dev.parley.rendezvous.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The server's clock in tests: real time plus an offset a test can move forward, so lockout
 * expiry and idle timeouts are tested without waiting for them.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {
    private volatile long offsetMillis;

    public void advance(Duration by) {
        offsetMillis += by.toMillis();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }
}
