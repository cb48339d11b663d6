package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {
    @Test
    void readsLinesOfAnyEndingAndTheLastWithoutNewline() throws IOException {
        var reader = new BoundedLineReader(new ByteArrayInputStream("one\r\ntwo\n\nlast".getBytes(StandardCharsets.UTF_8)), 100);
        assertEquals("one", reader.next().orElseThrow().text());
        assertEquals("two", reader.next().orElseThrow().text());
        assertEquals("", reader.next().orElseThrow().text());
        assertEquals("last", reader.next().orElseThrow().text());
        assertTrue(reader.next().isEmpty());
    }

    @Test
    void aCrlfLineOfExactlyTheLimitFitsTheLimit() throws IOException {
        String full = "x".repeat(4196);
        var reader = new BoundedLineReader(new ByteArrayInputStream((full + "\r\n" + full + "y\r\n")
                .getBytes(StandardCharsets.US_ASCII)), 4196);
        assertEquals(full, reader.next().orElseThrow().text());
        assertEquals(4197, reader.next().orElseThrow().overlongLength(), "the length a line has, its CR not counted");
    }

    @Test
    void aHugeLineIsReportedAndSkippedWithoutBeingKept() throws IOException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write("x".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        input.write("\nafter\n".getBytes(StandardCharsets.US_ASCII));
        var reader = new BoundedLineReader(new ByteArrayInputStream(input.toByteArray()), 4196);
        var huge = reader.next().orElseThrow();
        assertTrue(huge.overlong());
        assertEquals(1_000_000, huge.overlongLength());
        assertEquals("after", reader.next().orElseThrow().text());
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws IOException {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 'o', 'k', (byte) 0xc3, '\n'};
        var line = new BoundedLineReader(new ByteArrayInputStream(garbage), 100).next().orElseThrow();
        assertEquals("\uFFFD\uFFFD\u0000ok\uFFFD", line.text());
    }
}
