package dev.parley.node.shell;

import dev.parley.common.protocol.Limits;
import dev.parley.node.Node;
import dev.parley.node.output.VisibleText;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs one input line: finds the command, splits its arguments (free text keeps its spacing), and
 * turns every problem into a one-line error event. Never throws.
 */
public final class CommandRunner {
    /** Longer lines are refused whole: no command needs more than a message's text and a name. */
    public static final int MAX_LINE_CHARS = Limits.MAX_TEXT_CHARS + 100;
    /** How much of a bad word an error repeats back. */
    static final int ECHO_CHARS = 40;

    private final Node node;
    private final ShellCommands.Catalog catalog;

    public CommandRunner(Node node, ShellCommands.Tracker tracker) {
        this.node = node;
        this.catalog = ShellCommands.build(node, tracker);
        for (CommandLine c : catalog.commands()) {
            c.setParameterExceptionHandler((e, args) -> {
                node.error(usageError(e));
                return 2;
            });
            c.setExecutionExceptionHandler((e, cmd, parsed) -> {
                node.error(e.getMessage() == null ? e.toString() : e.getMessage());
                return 1;
            });
        }
    }

    public ShellCommands.Catalog commands() {
        return catalog;
    }

    /** Runs the line; returns 0, {@link ShellCommands#LOGOUT} or {@link ShellCommands#QUIT}. */
    public int run(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return 0;
        }
        if (line.length() > MAX_LINE_CHARS) {
            node.error("line too long (" + line.length() + " characters): a message may have at most "
                    + Limits.MAX_TEXT_CHARS);
            return 0;
        }
        String name;
        String rest;
        if (trimmed.startsWith("@")) {
            name = "message";
            rest = trimmed.substring(1);
        } else {
            int space = indexOfSpace(trimmed);
            name = space < 0 ? trimmed : trimmed.substring(0, space);
            rest = space < 0 ? "" : trimmed.substring(space + 1);
        }
        CommandLine command = catalog.find(name).orElse(null);
        if (command == null) {
            node.error("unknown command '" + VisibleText.clipped(name, ECHO_CHARS) + "'; type help for the list");
            return 0;
        }
        try {
            String[] args = arguments(command, rest);
            // The common case, a message, skips picocli's parser, which cost more than the rest of
            // sending it. Words bind verbatim (no @file expansion, no quote trimming: ShellCommands).
            if (command.getCommand() instanceof ShellCommands.UserAndText direct && args.length == 2) {
                direct.run(args[0], args[1]);
                return 0;
            }
            int result = command.execute(args);
            return result == ShellCommands.LOGOUT || result == ShellCommands.QUIT ? result : 0;
        } catch (RuntimeException e) {
            node.error(e.getMessage() == null ? e.toString() : e.getMessage());
            return 0;
        }
    }

    private static String[] arguments(CommandLine command, String rest) {
        List<String> args = new ArrayList<>();
        String remaining = rest.stripLeading();
        int words = command.getCommand() instanceof ShellCommands.TakesText t ? t.wordsBeforeText() : Integer.MAX_VALUE;
        while (!remaining.isEmpty() && args.size() < words) {
            int space = indexOfSpace(remaining);
            args.add(space < 0 ? remaining : remaining.substring(0, space));
            remaining = space < 0 ? "" : remaining.substring(space + 1).stripLeading();
        }
        if (!remaining.isEmpty()) {
            args.add(remaining); // the free text, as typed
        }
        return args.toArray(String[]::new);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String usageError(CommandLine.ParameterException e) {
        var spec = e.getCommandLine().getCommandSpec();
        String message = e.getMessage();
        if (e instanceof CommandLine.MissingParameterException) {
            message = "missing " + ((CommandLine.MissingParameterException) e).getMissing().get(0).paramLabel();
        } else if (e instanceof CommandLine.UnmatchedArgumentException) {
            message = "too many arguments";
        } else if (e.getArgSpec() instanceof CommandLine.Model.PositionalParamSpec p && e.getValue() != null) {
            message = "invalid " + p.paramLabel() + " '" + e.getValue() + "'";
        }
        return VisibleText.clipped(message, ECHO_CHARS) + "; usage: " + HelpText.synopsis(spec, spec.name());
    }
}
