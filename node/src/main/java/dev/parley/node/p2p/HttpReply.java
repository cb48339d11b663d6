package dev.parley.node.p2p;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The little of HTTP/1.1 that {@link ObservedAddress} needs to read an answer: the status line,
 * the headers that frame the body ({@code Content-Length}, or {@code Transfer-Encoding: chunked},
 * or else up to the end of the connection), and the body. Pure: bytes in, a reply (or "not yet")
 * out; anything else it is given is refused with an {@link IllegalArgumentException}, never
 * another exception, and never more than {@value #MAX_BYTES} bytes are looked at.
 */
record HttpReply(int status, byte[] body) {
    /** The most a reply may take, head and body: an observed address is a few dozen bytes. */
    static final int MAX_BYTES = 16 * 1024;
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    /**
     * The reply in {@code received}, if it is all there.
     *
     * @param ended whether the connection is over (then a body without a length ends here, and a
     *              reply cut short is an error)
     * @return empty while more bytes are needed
     */
    static Optional<HttpReply> parse(byte[] received, boolean ended) {
        if (received.length > MAX_BYTES) {
            throw new IllegalArgumentException("the answer is larger than " + MAX_BYTES + " bytes");
        }
        int headEnd = indexOf(received, END_OF_HEAD, 0);
        if (headEnd < 0) {
            return cutShort(ended, "the answer ends inside its head");
        }
        String[] lines = new String(received, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n", -1);
        int status = statusOf(lines[0]);
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a malformed header line");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                long given = number(value, 10);
                if (length >= 0 && length != given) {
                    throw new IllegalArgumentException("two different Content-Length headers");
                }
                length = given;
            } else if (name.equals("transfer-encoding")) {
                if (!value.equalsIgnoreCase("chunked")) {
                    throw new IllegalArgumentException("an unsupported Transfer-Encoding: " + value);
                }
                chunked = true;
            }
        }
        if (chunked && length >= 0) {
            throw new IllegalArgumentException("both Content-Length and chunked");
        }
        int bodyStart = headEnd + END_OF_HEAD.length;
        if (chunked) {
            return dechunk(received, bodyStart, ended).map(body -> new HttpReply(status, body));
        }
        if (length >= 0) {
            if (length > MAX_BYTES - bodyStart) {
                throw new IllegalArgumentException("the answer is larger than " + MAX_BYTES + " bytes");
            }
            if (received.length - bodyStart < length) {
                return cutShort(ended, "the answer ends before its body does");
            }
            return Optional.of(new HttpReply(status, Arrays.copyOfRange(received, bodyStart, bodyStart + (int) length)));
        }
        return ended ? Optional.of(new HttpReply(status, Arrays.copyOfRange(received, bodyStart, received.length)))
                : Optional.empty();
    }

    /** "HTTP/1.x NNN reason": the status code. */
    private static int statusOf(String line) {
        if (!(line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 ")) || line.length() < 12
                || line.length() > 12 && line.charAt(12) != ' ') {
            throw new IllegalArgumentException("not an HTTP/1.1 status line");
        }
        int status = (int) number(line.substring(9, 12), 10);
        if (status < 100) {
            throw new IllegalArgumentException("not an HTTP status code");
        }
        return status;
    }

    private static Optional<byte[]> dechunk(byte[] received, int from, boolean ended) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = from;
        while (true) {
            int lineEnd = indexOf(received, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                return cutShort(ended, "the answer ends inside a chunk size");
            }
            String sizeLine = new String(received, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int extension = sizeLine.indexOf(';');
            long size = number((extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim(), 16);
            at = lineEnd + 2;
            if (size == 0) {
                // No trailers are expected: the last chunk is followed by the final CRLF.
                if (received.length - at < 2) {
                    return cutShort(ended, "the answer ends after its last chunk");
                }
                if (received[at] != '\r' || received[at + 1] != '\n') {
                    throw new IllegalArgumentException("trailers are not supported");
                }
                return Optional.of(body.toByteArray());
            }
            if (size > received.length - at - 2L) {
                return cutShort(ended, "the answer ends inside a chunk");
            }
            body.write(received, at, (int) size);
            at += (int) size;
            if (received[at] != '\r' || received[at + 1] != '\n') {
                throw new IllegalArgumentException("a chunk is longer than its size says");
            }
            at += 2;
        }
    }

    /** A non-negative number of at most 8 digits in this radix (more could not fit in a reply anyway). */
    private static long number(String digits, int radix) {
        if (digits.isEmpty() || digits.length() > 8) {
            throw new IllegalArgumentException("a bad number: " + digits);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'f') {
                throw new IllegalArgumentException("a bad number: " + digits);
            }
        }
        return Long.parseLong(digits, radix);
    }

    private static <T> Optional<T> cutShort(boolean ended, String why) {
        if (ended) {
            throw new IllegalArgumentException(why);
        }
        return Optional.empty();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
