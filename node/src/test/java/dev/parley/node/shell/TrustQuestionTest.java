package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Answers to the node's questions never land in the command history. */
class TrustQuestionTest {
    @TempDir
    Path dir;

    @Test
    void theAnswerToTheTrustQuestionIsNotACommandInTheHistory() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Path historyFile = dir.resolve("history");
        try (DumbTerminal terminal = new DumbTerminal(
                new ByteArrayInputStream("yes\nwhoami\n".getBytes(StandardCharsets.UTF_8)), screen)) {
            LineReader shell = InteractiveShell.reader(terminal, historyFile);
            Node node = new Node(new TerminalPrinter(shell), "https://example.test:8443");

            assertTrue(new TrustQuestion(node, terminal).confirm("example.test:8443", "AB:CD"));
            assertEquals("whoami", shell.readLine("alice> "));
            shell.getHistory().save();

            terminal.flush();
            String shown = screen.toString(StandardCharsets.UTF_8);
            assertTrue(shown.contains("Trust it and remember it? [yes/no] "), shown);
            assertTrue(shown.contains("  AB:CD"), shown);
            assertEquals(List.of("whoami"), lines(shell.getHistory()));
            String saved = Files.readString(historyFile, StandardCharsets.UTF_8);
            assertTrue(saved.contains("whoami"), saved);
            assertFalse(saved.contains("yes"), saved);
        }
    }

    @Test
    void questionsAreAskedWithoutHistory() throws Exception {
        try (DumbTerminal terminal = new DumbTerminal(
                new ByteArrayInputStream("yes\nsecret\n".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream())) {
            LineReader questions = InteractiveShell.questions(terminal);
            assertEquals("yes", questions.readLine("Log in again as alice? [yes/no] "));
            assertEquals("secret", questions.readLine("Password: ", '*'));
            assertEquals(List.of(), lines(questions.getHistory()), "an answer to recall with the arrow keys");
        }
    }

    private static List<String> lines(History history) {
        List<String> lines = new ArrayList<>();
        history.forEach(entry -> lines.add(entry.line()));
        return lines;
    }
}
