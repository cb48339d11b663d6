package dev.parley.node.shell;

import dev.parley.node.output.Event;
import dev.parley.node.output.Printer;
import dev.parley.node.output.VisibleText;
import java.util.function.Supplier;
import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Prints events above the line being typed, so incoming messages never mangle it, with control
 * characters shown rather than sent to the terminal ({@link VisibleText}).
 */
public final class TerminalPrinter implements Printer {
    private final LineReader reader;
    /** The shell's prompt as it stands now (it shows the state of the connection); null: leave it. */
    private volatile Supplier<String> prompt;

    public TerminalPrinter(LineReader reader) {
        this.reader = reader;
    }

    /**
     * Redraws the prompt from {@code prompt} with each event printed while a line is being typed:
     * an event comes with every change of the connection's state, so the prompt follows it.
     */
    public void followPrompt(Supplier<String> prompt) {
        this.prompt = prompt;
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
        Supplier<String> current = prompt;
        if (current != null && reader.isReading() && reader instanceof LineReaderImpl impl) {
            impl.setPrompt(current.get()); // drawn again below the event by printAbove
        }
        reader.printAbove(new AttributedString(VisibleText.lines(event.lines()), style));
    }
}
