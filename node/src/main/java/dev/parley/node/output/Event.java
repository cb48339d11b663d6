package dev.parley.node.output;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing the node tells its user: a kebab-case name, its fields (for {@code --json}), and the
 * lines a person reads. Every line the node prints is an event.
 *
 * <p>The lines are raw text, often holding strings from the network: printers show them through
 * {@link VisibleText}, so a line break or an escape sequence inside a line is shown, never obeyed.
 * Only the node's own code can make an event of several lines ({@link Builder#saysLines}).
 */
public record Event(String name, Map<String, Object> fields, List<String> lines) {

    public Event {
        lines = List.copyOf(lines);
    }

    public static Builder of(String name) {
        return new Builder(name);
    }

    /** The lines joined by line breaks, unescaped: for tests and logs, not for a terminal. */
    public String human() {
        return String.join("\n", lines);
    }

    public static final class Builder {
        private final String name;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder with(String key, Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        /** One line; a line break inside it is shown as {@code ^J}. */
        public Event says(String human) {
            return saysLines(List.of(human));
        }

        /** Several lines of the node's own text (help, a warning laid out in lines). */
        public Event saysLines(List<String> lines) {
            return new Event(name, Collections.unmodifiableMap(new LinkedHashMap<>(fields)), lines);
        }
    }
}
