package dev.parley.node.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads lines from untrusted input without ever holding more than a limit: a longer line is
 * reported by its length and skipped to its end. Invalid UTF-8 becomes U+FFFD instead of failing.
 */
public final class BoundedLineReader {
    /** A line, or the length of one that was too long. */
    public record Line(String text, long overlongLength) {
        public boolean overlong() {
            return text == null;
        }
    }

    private final Reader in;
    private final int limit;

    public BoundedLineReader(InputStream in, int limit) {
        this.in = new java.io.BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 8192);
        this.limit = limit;
    }

    /** The next line, or empty at end of input. */
    public Optional<Line> next() throws IOException {
        StringBuilder line = new StringBuilder();
        long length = 0;
        int last = -1;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            length++;
            if (length <= limit) {
                line.append((char) c);
            }
            last = c;
        }
        if (c < 0 && length == 0) {
            return Optional.empty();
        }
        // A CRLF line's CR ends the line: it is neither part of it nor counted against the limit.
        if (last == '\r') {
            length--;
            if (line.length() > length) {
                line.setLength((int) length);
            }
        }
        if (length > limit) {
            return Optional.of(new Line(null, length));
        }
        return Optional.of(new Line(line.toString(), length));
    }
}
