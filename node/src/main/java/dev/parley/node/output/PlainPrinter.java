package dev.parley.node.output;

/** Scripted mode without {@code --json}: the human lines, with control characters shown (VisibleText). */
public final class PlainPrinter implements Printer {
    private final LineOutput out;

    public PlainPrinter(LineOutput out) {
        this.out = out;
    }

    @Override
    public void print(Event event) {
        if (event.lines().isEmpty()) {
            return; // an event for programs only (--json)
        }
        out.println(VisibleText.lines(event.lines()));
    }
}
