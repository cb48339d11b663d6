package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Connections are let in per address and overall at bounded rates, with bounded handshakes in flight. */
class IncomingThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final IncomingThrottle throttle = new IncomingThrottle(now::get);

    private int admitted(String host, int tries) {
        int in = 0;
        for (int i = 0; i < tries; i++) {
            if (throttle.admit(host)) {
                in++;
                throttle.handshakeDone();
            }
        }
        return in;
    }

    @Test
    void oneAddressGetsItsBurstThenItsRate() {
        assertEquals(IncomingThrottle.PER_HOST_BURST, admitted("192.0.2.1", 500));
        now.addAndGet(1_000_000_000L);
        assertEquals(IncomingThrottle.PER_HOST_PER_SECOND, admitted("192.0.2.1", 500));
        assertTrue(throttle.admit("192.0.2.2"), "another address has its own allowance");
    }

    @Test
    void manyAddressesTogetherGetTheOverallBurstThenTheOverallRate() {
        int in = 0;
        for (int host = 0; host < 100; host++) {
            in += admitted("198.51.100." + host, 3);
        }
        assertEquals(IncomingThrottle.ALL_BURST, in);
        now.addAndGet(1_000_000_000L);
        in = 0;
        for (int host = 100; host < 200; host++) {
            in += admitted("198.51.100." + host, 3);
        }
        assertEquals(IncomingThrottle.ALL_PER_SECOND, in);
    }

    @Test
    void handshakesInProgressAreBounded() {
        int started = 0;
        for (int host = 0; host < 100; host++) {
            now.addAndGet(1_000_000_000L); // rates never the limit here
            if (throttle.admit("203.0.113." + host)) {
                started++;
            }
        }
        assertEquals(IncomingThrottle.MAX_HANDSHAKING, started);
        assertFalse(throttle.admit("203.0.113.250"));
        throttle.handshakeDone();
        assertTrue(throttle.admit("203.0.113.250"), "a finished handshake makes room");
    }
}
