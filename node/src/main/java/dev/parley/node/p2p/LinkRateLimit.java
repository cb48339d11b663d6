package dev.parley.node.p2p;

import java.util.function.LongSupplier;

/**
 * How fast one peer may send us frames over a direct link: {@value #FRAMES_PER_SECOND} frames and
 * 2 MiB a second, after a burst of {@value #FRAME_BURST} frames or 4 MiB. Far beyond anyone
 * chatting; a flood is slowed to it. Past the limit the link stops reading from its socket until
 * the peer is back within it (back-pressure: TCP makes the peer wait, nothing piles up here).
 */
final class LinkRateLimit {
    static final int FRAMES_PER_SECOND = 500;
    static final int FRAME_BURST = 1000;
    static final int BYTES_PER_SECOND = 2 << 20;
    static final int BYTE_BURST = 4 << 20;

    private final TokenBucket frames;
    private final TokenBucket bytes;

    LinkRateLimit(LongSupplier nanoClock) {
        frames = new TokenBucket(FRAMES_PER_SECOND, FRAME_BURST, nanoClock);
        bytes = new TokenBucket(BYTES_PER_SECOND, BYTE_BURST, nanoClock);
    }

    void received(int byteCount) {
        bytes.take(byteCount);
    }

    void frame() {
        frames.take(1);
    }

    /** 0 while within the limit; else how long to stop reading. */
    long pauseNanos() {
        return Math.max(frames.nanosUntilEven(), bytes.nanosUntilEven());
    }
}
