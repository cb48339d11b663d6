package dev.parley.node.output;

/** Scripted mode without {@code --json}: the human line, nothing else. */
public final class PlainPrinter implements Printer {
    private final LineOutput out;

    public PlainPrinter(LineOutput out) {
        this.out = out;
    }

    @Override
    public void print(Event event) {
        out.println(event.human());
    }
}
