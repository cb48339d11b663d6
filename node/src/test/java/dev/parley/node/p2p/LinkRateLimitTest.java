package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A peer may burst, then only keep to the rate: past it the link is told how long to stop reading. */
class LinkRateLimitTest {
    private final AtomicLong now = new AtomicLong();
    private final LinkRateLimit limit = new LinkRateLimit(now::get);

    @Test
    void framesOverTheBurstPauseForTheirShareOfASecond() {
        for (int i = 0; i < LinkRateLimit.FRAME_BURST; i++) {
            limit.frame();
        }
        assertEquals(0, limit.pauseNanos(), "the burst is free");
        for (int i = 0; i < LinkRateLimit.FRAMES_PER_SECOND; i++) {
            limit.frame();
        }
        assertEquals(1_000_000_000L, limit.pauseNanos(), 1_000, "a second's worth over: a second's pause");
        now.addAndGet(1_000_000_000L);
        assertEquals(0, limit.pauseNanos());
    }

    @Test
    void bytesOverTheBurstPauseToo() {
        limit.received(LinkRateLimit.BYTE_BURST + LinkRateLimit.BYTES_PER_SECOND / 2);
        long pause = limit.pauseNanos();
        assertTrue(pause > 490_000_000L && pause <= 500_000_000L, "half a second's worth: " + pause);
    }
}
