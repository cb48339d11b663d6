package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Limits;
import dev.parley.node.Node;
import dev.parley.node.RecordingPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Parsing lines into commands, and the one-line errors for everything malformed. */
class CommandRunnerTest {
    private final RecordingPrinter printer = new RecordingPrinter();
    private final Node node = new Node(printer, "https://example.test:8443");
    private final List<CompletableFuture<?>> started = new ArrayList<>();
    private final CommandRunner runner = new CommandRunner(node, started::add);

    private String errorFor(String line) {
        printer.clear();
        assertEquals(0, runner.run(line));
        assertEquals(1, printer.events().size(), printer.events().toString());
        assertEquals("error", printer.last().name());
        return (String) printer.last().fields().get("message");
    }

    @Test
    void malformedLinesGetOneLineErrors() {
        assertEquals("unknown command 'frobnicate'; type help for the list", errorFor("frobnicate now"));
        assertEquals("missing <user>; usage: message <user> <text>", errorFor("message"));
        assertEquals("missing <text>; usage: message <user> <text>", errorFor("message bob"));
        assertEquals("missing <text>; usage: message <user> <text>", errorFor("@bob"));
        assertEquals("missing <text>; usage: broadcast <text>", errorFor("broadcast   "));
        assertEquals("invalid <seconds> 'soon'; usage: whoelsesince <seconds>", errorFor("whoelsesince soon"));
        assertEquals("<seconds> must not be negative; usage: whoelsesince <seconds>", errorFor("whoelsesince -1"));
        assertEquals("too many arguments; usage: block <user>", errorFor("block bob carol"));
        assertEquals("unknown command '^@^Agarbage\uFFFD'; type help for the list", errorFor("\u0000\u0001garbage\uFFFD"));
        assertTrue(errorFor("x".repeat(CommandRunner.MAX_LINE_CHARS + 1)).startsWith("line too long"));
    }

    @Test
    void everyOneUserCommandTakesExactlyOneUser() {
        for (UserCommand row : UserCommand.values()) {
            String name = row.name().toLowerCase(java.util.Locale.ROOT);
            assertEquals("missing <user>; usage: " + name + " <user>", errorFor(name));
            assertEquals("too many arguments; usage: " + name + " <user>", errorFor(name + " bob carol"));
            assertEquals("not logged in", errorFor(name + "  bob "));
        }
        assertEquals("not logged in", errorFor("startprivate bob"));
        assertEquals(UserCommand.values().length + 1, started.size(), "each request is handed to the tracker");
    }

    @Test
    void anOverLongMessageIsRefusedLocally() {
        String message = errorFor("message bob " + "y".repeat(Limits.MAX_TEXT_CHARS + 1));
        assertEquals("field 'text' is longer than " + Limits.MAX_TEXT_CHARS + " characters", message);
    }

    @Test
    void validCommandsNeedASession() {
        assertEquals("not logged in", errorFor("message bob hello   there"));
        assertEquals("not logged in", errorFor("@bob hi"));
        assertEquals("not logged in", errorFor("online"));
        assertEquals(3, started.size(), "each request is handed to the tracker");
    }

    @Test
    void messagesTakeTheSamePathWithOrWithoutPicocli() {
        // Two words skip picocli's parser; anything else (too few words, options) goes through it.
        assertEquals("not logged in", errorFor("msg bob -x --"));
        assertEquals("not logged in", errorFor("message bob @no-such-file"));
        assertEquals("no direct link with bob; start one with: getaddress bob", errorFor("private bob  hi there"));
        assertEquals("missing <text>; usage: private <user> <text>", errorFor("private bob"));
        assertEquals(3, started.size());
    }

    @Test
    void aWordStartingWithAtIsTextNotAFileToRead() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("parley-at", ".txt");
        try {
            java.nio.file.Files.writeString(file, "contents of a local file");
            for (picocli.CommandLine command : ShellCommands.build(node, started::add).commands()) {
                assertEquals(false, command.isExpandAtFiles(), command.getCommandName());
            }
            // Not replaced by the file's words: still a message with one word of text.
            assertEquals("missing <text>; usage: message <user> <text>", errorFor("message @" + file));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void emptyLinesDoNothingAndControlCommandsSaySo() {
        printer.clear();
        assertEquals(0, runner.run("   "));
        assertTrue(printer.events().isEmpty());
        assertEquals(ShellCommands.QUIT, runner.run("quit"));
        assertEquals(ShellCommands.QUIT, runner.run("exit"));
        assertEquals(ShellCommands.LOGOUT, runner.run("logout"));
    }

    @Test
    void helpListsEveryCommandAndExplainsOne() {
        printer.clear();
        runner.run("help");
        String all = (String) printer.last().fields().get("text");
        for (String name : List.of("message (msg)", "broadcast", "whoelse (online)", "whoelsesince", "block", "unblock",
                "blocked", "whoami", "logout", "quit (exit)", "help", "@<user> <text>")) {
            assertTrue(all.contains(name), name + " missing from\n" + all);
        }
        runner.run("help msg");
        assertEquals("message", printer.last().fields().get("command"));
        assertTrue(printer.last().human().startsWith("Usage: message <user> <text>"), printer.last().human());
        runner.run("help");
        assertEquals("help", printer.last().name(), "help forgets its previous argument");
        assertEquals("no command 'nope'; type help for the list", errorFor("help nope"));
    }
}
