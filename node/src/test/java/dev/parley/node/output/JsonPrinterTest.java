package dev.parley.node.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPrinterTest {
    @Test
    void oneObjectALineWithEventAndTimestampFirst() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var printer = new JsonPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));
        printer.print(Event.of("message").with("from", "alice").with("to", "bob").with("text", "hi\n\"there\"")
                .with("via", "relay").with("skipped", null).says("ignored"));
        printer.print(Event.of("online").with("users", List.of("a", "b")).says("ignored"));
        assertEquals("{\"event\":\"message\",\"ts\":\"2026-11-26T10:00:00Z\",\"from\":\"alice\",\"to\":\"bob\","
                + "\"text\":\"hi\\n\\\"there\\\"\",\"via\":\"relay\"}\n"
                + "{\"event\":\"online\",\"ts\":\"2026-11-26T10:00:00Z\",\"users\":[\"a\",\"b\"]}\n",
                out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void hiddenCharactersAreEscapedAndTheValuesReadBackUnchanged() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var printer = new JsonPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC());
        String remote = "a\u001b[2J\u0007\r\nb\u007f\u009b\u0085\u202e\u2028\ufeff 日本 👍";
        printer.print(Event.of("message").with("text", remote).with("users", List.of("x\u202ey")).says("ignored"));
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(-1, line.chars().filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x202e || c == 0x2028 || c == 0xfeff)
                .findFirst().orElse(-1), "no raw control character in " + line);
        assertTrue(line.contains("\\u001B[2J\\u0007\\r\\nb\\u007F\\u009B\\u0085\\u202E\\u2028\\uFEFF 日本 👍"), line);
        var parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertEquals(remote, parsed.get("text").asText());
        assertEquals("x\u202ey", parsed.get("users").get(0).asText());
    }
}
