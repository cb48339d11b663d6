package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.Node;
import dev.parley.node.RecordingPrinter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** {@code help}, checked over every command there is, so a new command cannot break it. */
class HelpTextTest {
    private final RecordingPrinter printer = new RecordingPrinter();
    private final CommandRunner runner = new CommandRunner(new Node(printer, "https://example.test:8443"), request -> { });

    private String help(String line) {
        printer.clear();
        runner.run(line);
        assertEquals("help", printer.last().name(), printer.last().toString());
        return (String) printer.last().fields().get("text");
    }

    @Test
    void everyDescriptionInTheListStartsInTheSameColumn() {
        List<String> lines = help("help").lines().toList();
        assertEquals("commands:", lines.get(0));
        List<String> rows = lines.subList(1, lines.size());
        List<CommandLine> commands = runner.commands().commands();
        assertEquals(commands.size() + 1, rows.size(), "one row per command, and one for @<user> <text>:\n" + lines);
        int column = rows.get(rows.size() - 1).indexOf("Same as: message <user> <text>.");
        for (int i = 0; i < commands.size(); i++) {
            var spec = commands.get(i).getCommandSpec();
            String row = rows.get(i);
            String description = String.join(" ", spec.usageMessage().description());
            assertFalse(description.isBlank(), spec.name() + " has no description");
            assertTrue(row.startsWith("  " + spec.name()), row);
            assertEquals(column, row.indexOf(description), "misaligned:\n" + String.join("\n", lines));
            assertTrue(row.substring(0, column).endsWith(" "), "no space before the description:\n" + row);
        }
    }

    @Test
    void helpForACommandDescribesEveryParameter() {
        for (CommandLine command : runner.commands().commands()) {
            var spec = command.getCommandSpec();
            String usage = help("help " + spec.name());
            assertTrue(usage.startsWith("Usage: " + spec.name()), usage);
            List<ArgSpec> arguments = spec.args();
            for (ArgSpec argument : arguments) {
                String label = argument.paramLabel();
                String description = String.join(" ", argument.description());
                assertFalse(description.isBlank(), spec.name() + "'s " + label + " has no description");
                assertTrue(Pattern.compile("\\[?" + Pattern.quote(label) + "]? +" + Pattern.quote(description)).matcher(usage).find(),
                        spec.name() + "'s " + label + " is not explained in:\n" + usage);
            }
        }
    }
}
