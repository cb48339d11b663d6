package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the line reader against a model: the input decoded as UTF-8 (bad bytes become U+FFFD) and
 * split at {@code \n}. Byte 0 picks the limit (small ones, so over-long lines are cheap to reach,
 * or the shell's real one); the rest is the input. Invariants: reading never throws and ends; it
 * yields exactly the model's lines, in order; a line within the limit comes back whole (less one
 * trailing {@code \r}); a longer one comes back as its length (less that {@code \r}) only, so no line the reader keeps is
 * ever longer than the limit (bounded memory, whatever the input).
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/node/shell/BoundedLineReaderFuzzTestInputs/readsLines/}.
 */
class BoundedLineReaderFuzzTest {
    private static final int[] SMALL_LIMITS = {0, 1, 2, 3, 8, 64};

    @FuzzTest
    void readsLines(byte[] data) throws IOException {
        if (data.length < 1) {
            return;
        }
        int selector = data[0] & 0xff;
        int limit = selector < SMALL_LIMITS.length ? SMALL_LIMITS[selector] : CommandRunner.MAX_LINE_CHARS;
        byte[] input = Arrays.copyOfRange(data, 1, data.length);

        BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(input), limit);
        List<BoundedLineReader.Line> got = new ArrayList<>();
        for (Optional<BoundedLineReader.Line> line = reader.next(); line.isPresent(); line = reader.next()) {
            got.add(line.get());
            assertTrue(got.size() <= input.length, "more lines than bytes: it does not end");
        }

        List<String> expected = modelLines(input);
        assertEquals(expected.size(), got.size(), "number of lines in " + expected);
        for (int i = 0; i < expected.size(); i++) {
            String line = expected.get(i);
            BoundedLineReader.Line actual = got.get(i);
            String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (text.length() <= limit) {
                assertEquals(text, actual.text(), "line " + (i + 1));
            } else {
                assertNull(actual.text(), "line " + (i + 1) + " is over the limit of " + limit + " but was kept");
                assertEquals(text.length(), actual.overlongLength(), "length of over-long line " + (i + 1));
            }
            assertTrue(actual.overlong() || actual.text().length() <= limit, "kept a line longer than the limit");
        }
    }

    private static List<String> modelLines(byte[] input) {
        String all = new String(input, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(all.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the end of the input, or a last line ended by \n
        }
        return lines;
    }
}
