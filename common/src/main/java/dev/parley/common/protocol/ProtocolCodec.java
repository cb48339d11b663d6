package dev.parley.common.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.nio.charset.StandardCharsets;

/**
 * Turns frames into messages and back. Decoding never throws: a bad frame becomes a
 * {@link Decoded.Rejected} with a one-line reason the caller can send back.
 */
public final class ProtocolCodec {
    private final ObjectMapper mapper;
    private final ObjectWriter utf8;

    public ProtocolCodec() {
        this(new ObjectMapper());
    }

    /** Uses (a copy of) the given mapper, e.g. the framework's, with the protocol's strictness applied. */
    public ProtocolCodec(ObjectMapper base) {
        this.mapper = strict(base.copy());
        // A character beyond the BMP as its four UTF-8 bytes, as encode() writes it, not as an escaped surrogate pair.
        this.utf8 = mapper.writer().with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
    }

    /**
     * The protocol's strictness, for every reader of its JSON (frames, and the HTTP API's bodies):
     * a key given twice, anything after the value, a number or boolean where text belongs, or a
     * null for a number is an error, not a guess. Unknown fields are ignored, so newer peers can
     * add some. Returns the mapper it configured.
     */
    public static ObjectMapper strict(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** The outcome of decoding one frame. */
    public sealed interface Decoded<T> {
        record Accepted<T>(T message) implements Decoded<T> {
        }

        /** {@code re} is the frame's {@code id} when it could be read, so the error can be correlated. */
        record Rejected<T>(ErrorCode code, String reason, String re) implements Decoded<T> {
        }
    }

    public Decoded<ClientMessage> decodeClient(String frame) {
        return decode(frame, ClientMessage.class);
    }

    public Decoded<ServerMessage> decodeServer(String frame) {
        return decode(frame, ServerMessage.class);
    }

    public <T> Decoded<T> decode(String frame, Class<T> type) {
        if (frame == null) {
            return new Decoded.Rejected<>(ErrorCode.MALFORMED, "empty frame", null);
        }
        // Each char is at most 3 UTF-8 bytes, so only count bytes when the length alone cannot decide.
        if (frame.length() > Limits.MAX_FRAME_BYTES
                || (frame.length() * 3L > Limits.MAX_FRAME_BYTES
                && frame.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_FRAME_BYTES)) {
            return new Decoded.Rejected<>(ErrorCode.TOO_LARGE,
                    "frame larger than " + Limits.MAX_FRAME_BYTES + " bytes", null);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            return new Decoded.Rejected<>(ErrorCode.MALFORMED, "malformed JSON: " + firstLine(e.getOriginalMessage()), null);
        }
        if (tree == null || !tree.isObject()) {
            return new Decoded.Rejected<>(ErrorCode.MALFORMED, "a frame must be a JSON object", null);
        }
        String re = tree.path("id").isTextual() ? tree.get("id").asText() : null;
        if (re != null && re.length() > Limits.MAX_ID_CHARS) {
            re = null;
        }
        if (!tree.path("type").isTextual()) {
            return new Decoded.Rejected<>(ErrorCode.MALFORMED, "missing field 'type'", re);
        }
        try {
            return new Decoded.Accepted<>(mapper.treeToValue(tree, type));
        } catch (InvalidTypeIdException e) {
            return new Decoded.Rejected<>(ErrorCode.UNKNOWN_TYPE,
                    "unknown message type '" + firstLine(tree.get("type").asText()) + "'", re);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Decoded.Rejected<>(ErrorCode.INVALID, firstLine(cause.getMessage()), re);
        } catch (JacksonException e) {
            return new Decoded.Rejected<>(ErrorCode.INVALID, "invalid message: " + firstLine(e.getOriginalMessage()), re);
        } catch (IllegalArgumentException e) {
            return new Decoded.Rejected<>(ErrorCode.INVALID, firstLine(e.getMessage()), re);
        }
    }

    public String encode(Object message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            // Our own records always serialise; anything else is a programming error.
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * The message as UTF-8 JSON: what goes on the wire, without the detour through a
     * {@code String} (a copy of the text as chars, and another as bytes) that {@link #encode} takes.
     */
    public byte[] encodeUtf8(Object message) {
        try {
            return utf8.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Up to the first line break of any kind (the reason must stay one line), at most 200 characters. */
    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int end = 0;
        while (end < s.length() && !isLineBreak(s.charAt(end))) {
            end++;
        }
        String line = s.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u000b' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
