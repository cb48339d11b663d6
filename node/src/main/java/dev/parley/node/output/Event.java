package dev.parley.node.output;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing the node tells its user: a kebab-case name, its fields (for {@code --json}), and the
 * line a person reads. Every line the node prints is an event.
 */
public record Event(String name, Map<String, Object> fields, String human) {

    public static Builder of(String name) {
        return new Builder(name);
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

        public Event says(String human) {
            return new Event(name, Collections.unmodifiableMap(new LinkedHashMap<>(fields)), human);
        }
    }
}
