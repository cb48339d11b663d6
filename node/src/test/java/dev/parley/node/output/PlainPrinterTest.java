package dev.parley.node.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain scripted output: one line per event, remote control characters shown, the node's own lines kept. */
class PlainPrinterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PlainPrinter printer = new PlainPrinter(new LineOutput(new PrintStream(out, true, StandardCharsets.UTF_8)));

    private String printed() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void aRemoteMessageCannotClearTheScreenOrForgeALine() {
        String remote = "hi\u001b[2J\u001b]0;pwned\u0007\u0007\r\nbob: forged second line\u202e\u009b";
        printer.print(Event.of("message").with("text", remote).says("[relay] bob: " + remote));
        assertEquals("[relay] bob: hi^[[2J^[]0;pwned^G^G^M^Jbob: forged second line<U+202E><U+009B>\n", printed());
    }

    @Test
    void theNodesOwnLinesStayLines() {
        printer.print(Event.of("help").saysLines(List.of("commands:", "  help  List the commands.")));
        assertEquals("commands:\n  help  List the commands.\n", printed());
    }
}
