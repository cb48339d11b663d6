package dev.parley.rendezvous.support;

import dev.parley.testsupport.ManualClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The server's clock in tests: the kit's {@link ManualClock}, following real time (sessions and
 * messages need time to go on) with an offset a test moves forward, so lockout expiry and idle
 * timeouts are tested without waiting for them.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends ManualClock {
    public TestClock() {
        super(true);
    }
}
