package dev.parley.node.shell;

import dev.parley.node.output.Event;
import picocli.CommandLine;

/** {@code help} and {@code help <command>}, written from the picocli definitions. */
final class HelpText {
    private HelpText() {
    }

    static Event of(ShellCommands.Catalog catalog, String command) {
        if (command == null) {
            StringBuilder text = new StringBuilder("commands:");
            for (CommandLine c : catalog.commands()) {
                var spec = c.getCommandSpec();
                String names = spec.name() + (spec.aliases().length > 0 ? " (" + String.join(", ", spec.aliases()) + ")" : "");
                text.append(String.format("%n  %-26s %s", synopsis(spec, names), String.join(" ", spec.usageMessage().description())));
            }
            text.append(String.format("%n  %-26s %s", "@<user> <text>", "Same as: message <user> <text>."));
            return Event.of("help").with("text", text.toString()).says(text.toString());
        }
        CommandLine c = catalog.find(command).orElse(null);
        if (c == null) {
            return Event.of("error").with("message", "no command '" + Sanitize.forDisplay(command) + "'; type help for the list")
                    .says("error: no command '" + Sanitize.forDisplay(command) + "'; type help for the list");
        }
        String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
        return Event.of("help").with("command", c.getCommandName()).with("text", usage).says(usage);
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
