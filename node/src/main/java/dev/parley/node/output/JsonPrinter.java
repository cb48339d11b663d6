package dev.parley.node.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** {@code --json}: one object a line, {@code "event"} and {@code "ts"} first, then the event's fields. */
public final class JsonPrinter implements Printer {
    private final ObjectMapper mapper = new ObjectMapper();
    private final LineOutput out;
    private final Clock clock;

    public JsonPrinter(PrintStream out, Clock clock) {
        this(new LineOutput(out), clock);
    }

    public JsonPrinter(LineOutput out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void print(Event event) {
        String line;
        try {
            line = toJson(event);
        } catch (IOException | IllegalArgumentException e) {
            line = "{\"event\":\"error\",\"message\":\"unprintable event " + event.name() + "\"}";
        }
        out.println(line);
    }

    /** Written straight out, field by field: building a tree first cost as much again per event. */
    private String toJson(Event event) throws IOException {
        StringWriter line = new StringWriter(128);
        try (JsonGenerator json = mapper.getFactory().createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("event", event.name());
            json.writeStringField("ts", Instant.now(clock).toString());
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                json.writeFieldName(field.getKey());
                json.writeObject(field.getValue());
            }
            json.writeEndObject();
        }
        return line.toString();
    }
}
