package dev.parley.node.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

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
        ObjectNode node = mapper.createObjectNode();
        node.put("event", event.name());
        node.put("ts", Instant.now(clock).toString());
        node.setAll((ObjectNode) mapper.valueToTree(event.fields()));
        String line;
        try {
            line = mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            line = "{\"event\":\"error\",\"message\":\"unprintable event " + event.name() + "\"}";
        }
        out.println(line);
    }
}
