package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.node.Node;
import dev.parley.node.RecordingPrinter;
import dev.parley.node.output.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fuzzes the shell's command parser with lines as the line reader hands them over: the input read
 * as UTF-8 and cut at {@code \n} (so a line may hold {@code \r}, other control characters and
 * U+FFFD). The lines run one after another through one runner wired to a node with no session and
 * a recording printer, as in {@link CommandRunnerTest}. Invariants, for every line:
 * <ul>
 *   <li>{@code run} never throws and answers 0, {@code LOGOUT} or {@code QUIT};</li>
 *   <li>a blank line prints nothing; {@code logout} and {@code quit} print nothing themselves;
 *       every other line prints exactly one event: a malformed line exactly one {@code error};</li>
 *   <li>an error is one line with no control characters, and bounded, whatever the line held;</li>
 *   <li>every request a command started is already answered (there is no session);</li>
 *   <li>a line's outcome does not depend on the lines before it: the last line, run alone on a
 *       fresh runner, prints the same events.</li>
 * </ul>
 *
 * <p>Regression inputs, lines as typed: {@code src/test/resources/dev/parley/node/shell/CommandRunnerFuzzTestInputs/runsLines/}.
 */
class CommandRunnerFuzzTest {
    private static final int MAX_LINES = 8;
    /** The longest one-line error: a sanitised echo of at most 40 characters and a usage line. */
    private static final int MAX_ERROR_CHARS = 200;

    @FuzzTest
    void runsLines(byte[] data) {
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", MAX_LINES);
        Session session = new Session();
        List<Event> last = List.of();
        for (String line : lines) {
            last = session.run(line);
        }
        if (lines.length > 1) { // a runner costs milliseconds to build: only when it can show something
            assertEquals(last, new Session().run(lines[lines.length - 1]),
                    "the last line printed something else after the lines before it");
        }
    }

    /** A node with no server session, and what it printed for one line. */
    private static final class Session {
        private final RecordingPrinter printer = new RecordingPrinter();
        private final List<CompletableFuture<?>> started = new ArrayList<>();
        private final CommandRunner runner = new CommandRunner(new Node(printer, "https://example.test:8443"), started::add);

        List<Event> run(String line) {
            printer.clear();
            started.clear();
            int result = runner.run(line);
            List<Event> events = List.copyOf(printer.events());
            assertTrue(result == 0 || result == ShellCommands.LOGOUT || result == ShellCommands.QUIT, "result " + result);
            if (line.isBlank() || result != 0) {
                assertEquals(List.of(), events, "printed something for a blank line, logout or quit");
            } else {
                assertEquals(1, events.size(), "events for one line: " + events);
            }
            for (Event event : events) {
                if (event.name().equals("error")) {
                    String message = (String) event.fields().get("message");
                    assertTrue(message != null && !message.isBlank(), "an error without a message");
                    assertTrue(message.length() <= MAX_ERROR_CHARS, "an error of " + message.length() + " characters");
                    assertTrue(message.chars().noneMatch(Character::isISOControl), "a control character in: " + message);
                    assertEquals("error: " + message, event.human());
                }
            }
            for (CompletableFuture<?> request : started) {
                assertTrue(request.isDone(), "a request left waiting with no session");
            }
            return events;
        }
    }
}
