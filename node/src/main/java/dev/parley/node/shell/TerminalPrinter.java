package dev.parley.node.shell;

import dev.parley.node.output.Event;
import dev.parley.node.output.Printer;
import dev.parley.node.output.VisibleText;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Prints events above the line being typed, so incoming messages never mangle it, with control
 * characters shown rather than sent to the terminal ({@link VisibleText}).
 */
public final class TerminalPrinter implements Printer {
    private final LineReader reader;

    public TerminalPrinter(LineReader reader) {
        this.reader = reader;
    }

    @Override
    public synchronized void print(Event event) {
        if (event.lines().isEmpty()) {
            return; // an event for programs only (--json)
        }
        AttributedStyle style = switch (event.name()) {
            case "error", "logged-out", "disconnected" -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            case "message", "broadcast" -> AttributedStyle.BOLD;
            case "user-online", "user-offline", "reconnected" -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
            default -> AttributedStyle.DEFAULT;
        };
        reader.printAbove(new AttributedString(VisibleText.lines(event.lines()), style));
    }
}
