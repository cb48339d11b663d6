package dev.parley.node.output;

/** Where events go: the terminal above the prompt, plain lines, or JSON lines. Thread-safe. */
public interface Printer {
    void print(Event event);
}
