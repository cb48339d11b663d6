package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpReplyTest {
    private static Optional<HttpReply> parse(String received, boolean ended) {
        return HttpReply.parse(received.getBytes(StandardCharsets.ISO_8859_1), ended);
    }

    private static String body(Optional<HttpReply> reply) {
        return new String(reply.orElseThrow().body(), StandardCharsets.UTF_8);
    }

    @Test
    void aBodyIsFramedByItsLengthByChunksOrByTheEndOfTheConnection() {
        String json = "{\"address\":\"203.0.113.7\",\"port\":40123}";
        String byLength = "HTTP/1.1 200 OK\r\nContent-Length: " + json.length() + "\r\n\r\n" + json;
        assertEquals(json, body(parse(byLength, false)));
        assertEquals(200, parse(byLength, false).orElseThrow().status());
        assertTrue(parse(byLength.substring(0, byLength.length() - 1), false).isEmpty(), "waits for the rest");
        assertThrows(IllegalArgumentException.class, () -> parse(byLength.substring(0, byLength.length() - 1), true));

        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"add\r\n"
                + Integer.toHexString(json.length() - 5) + "\r\n" + json.substring(5) + "\r\n0\r\n\r\n";
        assertEquals(json, body(parse(chunked, false)));
        assertTrue(parse(chunked.substring(0, chunked.length() - 2), false).isEmpty());

        String untilClose = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\n\r\n{}";
        assertTrue(parse(untilClose, false).isEmpty(), "no length: the body runs to the end");
        assertEquals(429, parse(untilClose, true).orElseThrow().status());
        assertEquals("{}", body(parse(untilClose, true)));
    }

    @Test
    void whatIsNotAPlainHttpReplyIsRefused() {
        for (String bad : new String[] {"SSH-2.0-OpenSSH_9.6\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/2 200\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
                "HTTP/1.1 200 OK\r\nbroken\r\n\r\n"}) {
            assertThrows(IllegalArgumentException.class, () -> parse(bad, false), bad);
        }
        byte[] huge = new byte[HttpReply.MAX_BYTES + 1];
        assertThrows(IllegalArgumentException.class, () -> HttpReply.parse(huge, false));
        assertThrows(IllegalArgumentException.class, () -> parse("HTTP/1.1 200 OK\r\nServer: x", true), "cut short");
    }
}
