package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fuzzes the frame cutter against a reference model. Input: byte 0 picks the limit (the real
 * 64 KiB, or a small one so oversized frames are cheap to reach), byte 1 seeds how the rest is
 * chunked, and the rest is the stream. Invariants: it throws nothing but {@link
 * FrameDecoder.FrameTooLarge}, and throws it exactly when the model meets a length over the limit
 * (or negative), in the feed that completes that header; until then it returns exactly the
 * model's frames, in order, whatever the chunking; no frame is longer than the limit; {@code
 * midFrame()} is true exactly when the bytes fed so far end inside a frame.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/common/protocol/FrameDecoderFuzzTestInputs/cutsFrames/}.
 */
class FrameDecoderFuzzTest {
    private static final int[] SMALL_LIMITS = {0, 1, 2, 3, 4, 5, 16, 255, 256, 1024};

    @FuzzTest
    void cutsFrames(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int selector = data[0] & 0xff;
        int limit = selector < SMALL_LIMITS.length ? SMALL_LIMITS[selector] : Limits.MAX_FRAME_BYTES;
        SplittableRandom chunking = new SplittableRandom(data[1]);
        byte[] stream = Arrays.copyOfRange(data, 2, data.length);

        Model model = new Model(stream, limit);
        FrameDecoder decoder = new FrameDecoder(limit);
        List<String> got = new ArrayList<>();
        int fed = 0;
        while (fed < stream.length) {
            int n = Math.min(stream.length - fed, 1 + chunking.nextInt(Math.max(1, stream.length)));
            byte[] chunk = Arrays.copyOfRange(stream, fed, fed + n);
            fed += n;
            List<String> frames;
            try {
                frames = decoder.feed(chunk);
            } catch (FrameDecoder.FrameTooLarge e) {
                assertTrue(model.oversizedHeaderEnd >= 0 && model.oversizedHeaderEnd <= fed && model.oversizedHeaderEnd > fed - n,
                        "refused a length the model accepts, or in the wrong feed: " + e.getMessage());
                assertEquals(model.framesBefore(fed - n), got, "frames before the refusal");
                return;
            }
            assertTrue(model.oversizedHeaderEnd < 0 || model.oversizedHeaderEnd > fed,
                    "accepted a header announcing more than " + limit + " bytes");
            got.addAll(frames);
            assertEquals(model.framesBefore(fed), got, "frames after " + fed + " bytes");
            assertEquals(model.midFrame(fed), decoder.midFrame(), "midFrame after " + fed + " bytes");
        }
        for (String frame : got) {
            assertTrue(frame.length() <= limit, "a frame longer than the limit came out");
        }
    }

    /** The format, read the obvious way, all at once. */
    private static final class Model {
        /** Each frame: its end offset in the stream and its text. */
        final List<Integer> ends = new ArrayList<>();
        final List<String> frames = new ArrayList<>();
        /** Offset just after an oversized or negative header, or -1. */
        int oversizedHeaderEnd = -1;

        Model(byte[] stream, int limit) {
            int at = 0;
            while (at < stream.length) {
                if (stream.length - at < FrameDecoder.HEADER_BYTES) {
                    return;
                }
                int length = ByteBuffer.wrap(stream, at, FrameDecoder.HEADER_BYTES).getInt();
                at += FrameDecoder.HEADER_BYTES;
                if (length < 0 || length > limit) {
                    oversizedHeaderEnd = at;
                    return;
                }
                if (stream.length - at < length) {
                    return;
                }
                frames.add(new String(stream, at, length, StandardCharsets.UTF_8));
                at += length;
                ends.add(at);
            }
        }

        List<String> framesBefore(int offset) {
            int n = 0;
            while (n < ends.size() && ends.get(n) <= offset) {
                n++;
            }
            return frames.subList(0, n);
        }

        boolean midFrame(int offset) {
            if (offset == 0) {
                return false;
            }
            return !ends.contains(offset);
        }
    }
}
