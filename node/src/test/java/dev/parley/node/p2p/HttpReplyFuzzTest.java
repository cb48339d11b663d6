package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzzes the HTTP/1.1 reply reader with whatever a server (or something posing as one) might send.
 * Invariants: reading never throws anything but {@link IllegalArgumentException}; a reply it
 * returns has a status of three digits and a body no larger than what was received; a reply
 * complete before the connection ends is the same reply once it has ended; and bytes past
 * {@link HttpReply#MAX_BYTES} are always refused.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/node/p2p/HttpReplyFuzzTestInputs/readsReplies/}.
 */
class HttpReplyFuzzTest {
    @FuzzTest
    void readsReplies(byte[] received) {
        Optional<HttpReply> open = read(received, false);
        Optional<HttpReply> ended = read(received, true);
        if (received.length > HttpReply.MAX_BYTES) {
            assertTrue(open.isEmpty() && ended.isEmpty(), "took " + received.length + " bytes");
            return;
        }
        for (Optional<HttpReply> reply : java.util.List.of(open, ended)) {
            reply.ifPresent(r -> {
                assertTrue(r.status() >= 100 && r.status() <= 999, "status " + r.status());
                assertTrue(r.body().length <= received.length, "a body larger than the input");
            });
        }
        if (open.isPresent()) {
            assertTrue(ended.isPresent(), "complete while open, refused once ended");
            assertEquals(open.get().status(), ended.get().status());
            assertArrayEquals(open.get().body(), ended.get().body());
        }
        byte[] tooMuch = Arrays.copyOf(received, HttpReply.MAX_BYTES + 1);
        assertTrue(read(tooMuch, true).isEmpty(), "took more than the limit");
    }

    /** The reply, or empty if there is none yet or it was refused (the only exception allowed). */
    private static Optional<HttpReply> read(byte[] received, boolean ended) {
        try {
            return HttpReply.parse(received, ended);
        } catch (IllegalArgumentException refused) {
            return Optional.empty();
        }
    }
}
