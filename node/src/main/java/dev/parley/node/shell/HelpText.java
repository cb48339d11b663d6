package dev.parley.node.shell;

import dev.parley.node.output.Event;
import dev.parley.node.output.VisibleText;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** {@code help} and {@code help <command>}, written from the picocli definitions. */
final class HelpText {
    private HelpText() {
    }

    static Event of(ShellCommands.Catalog catalog, String command) {
        if (command == null) {
            List<String[]> rows = new ArrayList<>();
            for (CommandLine c : catalog.commands()) {
                var spec = c.getCommandSpec();
                String names = spec.name() + (spec.aliases().length > 0 ? " (" + String.join(", ", spec.aliases()) + ")" : "");
                rows.add(new String[] {synopsis(spec, names), String.join(" ", spec.usageMessage().description())});
            }
            rows.add(new String[] {"@<user> <text>", "Same as: message <user> <text>."});
            // The descriptions line up after the longest synopsis, whatever it is.
            int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
            List<String> lines = new ArrayList<>();
            lines.add("commands:");
            for (String[] row : rows) {
                lines.add("  " + row[0] + " ".repeat(width - row[0].length() + 1) + row[1]);
            }
            return Event.of("help").with("text", String.join("\n", lines)).saysLines(lines);
        }
        CommandLine c = catalog.find(command).orElse(null);
        if (c == null) {
            String message = "no command '" + VisibleText.clipped(command, CommandRunner.ECHO_CHARS) + "'; type help for the list";
            return Event.of("error").with("message", message).says("error: " + message);
        }
        String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
        return Event.of("help").with("command", c.getCommandName()).with("text", usage).saysLines(usage.lines().toList());
    }

    /** "message (msg) <user> <text>" */
    static String synopsis(CommandLine.Model.CommandSpec spec, String names) {
        StringBuilder s = new StringBuilder(names);
        for (var p : spec.positionalParameters()) {
            boolean optional = p.arity().min() == 0;
            s.append(' ').append(optional ? "[" : "").append(p.paramLabel()).append(optional ? "]" : "");
        }
        return s.toString();
    }
}
