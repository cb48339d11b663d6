package dev.parley.node.output;

import java.io.PrintStream;

/** Scripted mode without {@code --json}: the human line, nothing else. */
public final class PlainPrinter implements Printer {
    private final PrintStream out;

    public PlainPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void print(Event event) {
        synchronized (out) {
            out.println(event.human());
            out.flush();
        }
    }
}
