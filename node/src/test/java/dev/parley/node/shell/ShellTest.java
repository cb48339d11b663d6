package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interactive shell's pieces on a JLine dumb terminal: completion, help, printing above the prompt. */
class ShellTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private DumbTerminal terminal;
    private LineReader reader;
    private Node node;
    private CommandRunner runner;
    private NameCompleter completer;

    @BeforeEach
    void setUp() throws IOException {
        terminal = new DumbTerminal(new ByteArrayInputStream("help\nhelp block\n".getBytes(StandardCharsets.UTF_8)), screen);
        reader = LineReaderBuilder.builder().terminal(terminal).build();
        node = new Node(new TerminalPrinter(reader), "https://example.test:8443");
        runner = new CommandRunner(node, request -> { });
        completer = new NameCompleter(runner.commands(), node);
    }

    @AfterEach
    void tearDown() throws IOException {
        terminal.close();
    }

    private List<String> complete(String line) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(reader, reader.getParser().parse(line, line.length()), candidates);
        return candidates.stream().map(Candidate::value).sorted().toList();
    }

    @Test
    void completesCommandNamesAndAliases() {
        List<String> names = complete("");
        for (String name : List.of("message", "msg", "broadcast", "whoelse", "online", "whoelsesince", "block",
                "unblock", "blocked", "whoami", "logout", "quit", "exit", "help")) {
            assertTrue(names.contains(name), name + " not offered: " + names);
        }
        assertEquals(List.of("help"), complete("help ").stream().filter("help"::equals).toList());
    }

    @Test
    void completesUsernamesWhereACommandTakesOne() {
        node.serverEvents().pushed(ServerMessage.Presence.of("carol", ServerMessage.PresenceEvent.login, 1));
        node.serverEvents().pushed(ServerMessage.Presence.of("dave", ServerMessage.PresenceEvent.login, 2));
        node.serverEvents().pushed(ServerMessage.Presence.of("dave", ServerMessage.PresenceEvent.logout, 3));
        assertEquals(List.of("carol"), complete("message "));
        assertEquals(List.of("carol"), complete("block "));
        assertTrue(complete("").contains("@carol"), "@user form offered for the first word");
        assertEquals(List.of(), complete("unblock "), "nobody blocked yet");
        assertEquals(List.of(), complete("whoami "));
        for (String command : List.of("msg", "private", "getaddress", "startprivate", "consent", "deny", "stopprivate",
                "fingerprint")) {
            assertEquals(List.of("carol"), complete(command + " "), command);
        }
        assertTrue(complete("help ").containsAll(List.of("startprivate", "fingerprint", "exit")), complete("help ").toString());
        assertEquals(List.of(), complete("block carol "), "only the first argument");
    }

    @Test
    void helpIsPrintedOnTheTerminal() {
        String first = reader.readLine("alice> ");
        runner.run(first);
        String second = reader.readLine("alice> ");
        runner.run(second);
        terminal.flush();
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("commands:"), shown);
        assertTrue(shown.contains("whoelsesince <seconds>"), shown);
        assertTrue(shown.contains("Usage: block <user>"), shown);
        assertTrue(shown.contains("Block a user"), shown);
    }

    @Test
    void incomingEventsArePrintedAboveThePrompt() {
        node.serverEvents().pushed(new ServerMessage.BroadcastMessage("bob", "hello all", 0));
        terminal.flush();
        assertTrue(screen.toString(StandardCharsets.UTF_8).contains("[broadcast] bob: hello all"));
    }

    @Test
    void remoteTextIsShownNotObeyedOnTheTerminal() {
        String remote = "\u001b[2J\u001b]0;pwned\u0007\u0007\r\nbob: forged second line\u202e";
        node.serverEvents().pushed(new ServerMessage.PrivateStopped("bob", remote));
        node.serverEvents().pushed(new ServerMessage.BroadcastMessage("bob", remote, 0));
        node.serverEvents().pushed(new ServerMessage.Error(null, null, "refused: " + remote));
        terminal.flush();
        String shown = screen.toString(StandardCharsets.UTF_8);
        String visible = "^[[2J^[]0;pwned^G^G^M^Jbob: forged second line<U+202E>";
        assertTrue(shown.contains(visible), shown);
        assertTrue(shown.contains("[broadcast] bob: " + visible), shown);
        assertTrue(shown.contains("error: refused: " + visible), shown);
        for (String line : shown.split("[\r\n]+")) {
            assertFalse(line.startsWith("bob: forged"), "a forged line: " + shown);
        }
        assertFalse(shown.contains("\u001b[2J") || shown.contains("\u001b]0;") || shown.contains("\u0007")
                || shown.contains("\u202e"), "raw control characters reached the terminal: " + shown);
    }

    @Test
    void helpKeepsItsLinesOnTheTerminal() {
        runner.run("help");
        terminal.flush();
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("commands:\n") || shown.contains("commands:\r\n"), shown);
        assertFalse(shown.contains("^J"), shown);
    }
}
