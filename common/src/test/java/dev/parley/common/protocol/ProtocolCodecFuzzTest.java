package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.common.protocol.ProtocolCodec.Decoded;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the codec with whole frames, the input's bytes read as UTF-8 the way a transport would.
 * Invariants, for client, server and peer frames alike:
 * <ul>
 *   <li>decoding never throws and always answers {@code Accepted} or {@code Rejected};</li>
 *   <li>a frame over {@link Limits#MAX_FRAME_BYTES} is never accepted: it is {@code too-large};
 *       {@code too-large} is only ever said of such a frame;</li>
 *   <li>an accepted message re-encodes without error and decodes to an equal message;</li>
 *   <li>a rejected frame carries a code, and a reason that is one bounded line, and a correlation
 *       id only if it fits the id limit;</li>
 *   <li>JSON whitespace after the frame changes nothing; an accepted frame padded with it to
 *       exactly the limit is still accepted, and one byte more makes any frame {@code too-large}
 *       (so the limit is exact, in UTF-8 bytes).</li>
 * </ul>
 *
 * <p>Regression inputs, one JSON frame per file: {@code
 * src/test/resources/dev/parley/common/protocol/ProtocolCodecFuzzTestInputs/<method>/}.
 */
class ProtocolCodecFuzzTest {
    /** The longest reason: 200 characters and an ellipsis, plus the longest fixed prefix. */
    static final int MAX_REASON_CHARS = 240;

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    /** Every kind of JSON whitespace. */
    private static final String WHITESPACE = " \t\r\n";

    @FuzzTest
    void decodeClient(byte[] frame) {
        check(new String(frame, StandardCharsets.UTF_8), ClientMessage.class);
    }

    @FuzzTest
    void decodeServer(byte[] frame) {
        check(new String(frame, StandardCharsets.UTF_8), ServerMessage.class);
    }

    @FuzzTest
    void decodePeer(byte[] frame) {
        check(new String(frame, StandardCharsets.UTF_8), PeerFrame.class);
    }

    private static <T> void check(String frame, Class<T> type) {
        Decoded<T> decoded = CODEC.decode(frame, type);
        assertNotNull(decoded);
        int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
        if (decoded instanceof Decoded.Accepted<T> accepted) {
            assertTrue(bytes <= Limits.MAX_FRAME_BYTES, "accepted a frame of " + bytes + " bytes");
            assertTrue(type.isInstance(accepted.message()), "accepted as " + accepted.message());
            String again = CODEC.encode(accepted.message());
            assertEquals(decoded, CODEC.decode(again, type), "round trip through " + again);
        } else {
            Decoded.Rejected<T> rejected = (Decoded.Rejected<T>) decoded;
            assertNotNull(rejected.code(), "a rejection without a code");
            assertEquals(bytes > Limits.MAX_FRAME_BYTES, rejected.code() == ErrorCode.TOO_LARGE,
                    "too-large for a frame of " + bytes + " bytes, or the other way round");
            assertOneBoundedLine(rejected.reason());
            assertTrue(rejected.re() == null || rejected.re().length() <= Limits.MAX_ID_CHARS, "an over-long re");
        }
        if (bytes + WHITESPACE.length() <= Limits.MAX_FRAME_BYTES) {
            assertSameOutcome(decoded, CODEC.decode(frame + WHITESPACE, type));
        }
        if (bytes <= Limits.MAX_FRAME_BYTES) {
            String atTheLimit = frame + " ".repeat(Limits.MAX_FRAME_BYTES - bytes);
            assertEquals(ErrorCode.TOO_LARGE, code(CODEC.decode(atTheLimit + " ", type)), "one byte over the limit");
            if (decoded instanceof Decoded.Accepted<T>) {
                // Parsing 64 KiB is slow: only for the frames where it can show something.
                assertEquals(decoded, CODEC.decode(atTheLimit, type), "refused at exactly the limit");
            }
        }
    }

    static void assertOneBoundedLine(String reason) {
        assertNotNull(reason, "a rejection without a reason");
        assertFalse(reason.isBlank(), "a blank reason");
        assertTrue(reason.length() <= MAX_REASON_CHARS, "a reason of " + reason.length() + " characters");
        assertTrue(reason.chars().noneMatch(ProtocolCodecFuzzTest::breaksLine), "a reason of several lines: " + reason);
    }

    private static boolean breaksLine(int c) {
        return c == '\n' || c == '\r' || c == '\u000b' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static <T> void assertSameOutcome(Decoded<T> expected, Decoded<T> actual) {
        if (expected instanceof Decoded.Accepted<T>) {
            assertEquals(expected, actual, "trailing whitespace changed the message");
        } else {
            var e = (Decoded.Rejected<T>) expected;
            var a = assertInstanceOfRejected(actual);
            assertEquals(e.code(), a.code(), "trailing whitespace changed the code");
            assertEquals(e.re(), a.re(), "trailing whitespace changed the re");
        }
    }

    private static <T> Decoded.Rejected<T> assertInstanceOfRejected(Decoded<T> d) {
        assertTrue(d instanceof Decoded.Rejected<T>, "trailing whitespace made it acceptable: " + d);
        return (Decoded.Rejected<T>) d;
    }

    private static ErrorCode code(Decoded<?> d) {
        return d instanceof Decoded.Rejected<?> r ? r.code() : null;
    }
}
