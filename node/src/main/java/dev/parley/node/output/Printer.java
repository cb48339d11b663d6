package dev.parley.node.output;

/**
 * Where events go: the terminal above the prompt, plain lines, or JSON lines. Thread-safe. A
 * printer shows control characters instead of obeying them ({@link VisibleText}; JSON escapes).
 */
public interface Printer {
    void print(Event event);
}
