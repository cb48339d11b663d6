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
            List<String> lines = new ArrayList<>();
            lines.add("commands:");
            for (CommandLine c : catalog.commands()) {
                var spec = c.getCommandSpec();
                String names = spec.name() + (spec.aliases().length > 0 ? " (" + String.join(", ", spec.aliases()) + ")" : "");
                lines.add(String.format("  %-26s %s", synopsis(spec, names), String.join(" ", spec.usageMessage().description())));
            }
            lines.add(String.format("  %-26s %s", "@<user> <text>", "Same as: message <user> <text>."));
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
