package dev.parley.node.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
