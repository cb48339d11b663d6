package dev.parley.node.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code --json}: one object a line, {@code "event"} and {@code "ts"} first, then the event's fields.
 * Besides the C0 controls JSON must escape, DEL, C1 and format characters are written as
 * {@code \\uXXXX} too (see {@link VisibleText#isHidden}): the values a program reads are unchanged, and
 * someone watching the output on a terminal sees no escape sequence or bidi override at work.
 */
public final class JsonPrinter implements Printer {
    private static final CharacterEscapes HIDDEN_ESCAPED = new HiddenEscaped();
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
        try (JsonGenerator json = mapper.getFactory().createGenerator(line).setCharacterEscapes(HIDDEN_ESCAPED)) {
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

    /** JSON's own escapes, plus DEL and every hidden character above ASCII as {@code \\uXXXX}. */
    private static final class HiddenEscaped extends CharacterEscapes {
        private final int[] ascii;

        HiddenEscaped() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Called per UTF-16 unit: a surrogate here is half of a pair (or a lone one), left as is.
            return VisibleText.isHidden(ch) && !Character.isSurrogate((char) ch)
                    ? new SerializedString(String.format("\\u%04X", ch)) : null;
        }
    }
}
