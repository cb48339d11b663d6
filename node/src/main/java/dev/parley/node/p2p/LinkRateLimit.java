package dev.parley.node.p2p;

import java.util.function.LongSupplier;

/**
 * How fast one peer may send us frames over a direct link: {@value #FRAMES_PER_SECOND} frames and
 * 8 MiB a second, after a burst of {@value #FRAME_BURST} frames or 16 MiB. Far beyond anyone
 * chatting; a flood is slowed to it. Past the limit the link stops reading from its socket until
 * the peer is back within it (back-pressure: TCP makes the peer wait, nothing piles up here).
 *
 * <p>What a flood can cost at the limit, measured (figure 1's in-process link, 2 cores): the
 * receiving node's event loop spends 11-14 µs on a 64 B message (decrypt, decode, show it, send
 * the receipt) and 14-19 µs on a 1 KiB one, about 4 ns a byte more: 5,000 frames a second take
 * under a tenth of a core, 8 MiB a second of large frames a few hundredths. (The limit was 500
 * frames and 2 MiB a second after 1,000 frames: a benchmark of 1,000 messages measured the limit,
 * not the link, and a script sending a few thousand messages waited seconds for no good reason.)
 */
final class LinkRateLimit {
    static final int FRAMES_PER_SECOND = 5_000;
    static final int FRAME_BURST = 10_000;
    static final int BYTES_PER_SECOND = 8 << 20;
    static final int BYTE_BURST = 16 << 20;

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
