package dev.parley.common.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream into frames of a 4-byte big-endian length and that many bytes of UTF-8.
 * It only cuts: a length over the limit is refused before any of the frame is buffered, so no
 * later step ever sees an oversized frame.
 */
public final class FrameDecoder {
    public static final int HEADER_BYTES = 4;

    /** The stream announced a frame larger than the limit (or a negative length): drop the link. */
    public static final class FrameTooLarge extends Exception {
        public FrameTooLarge(long length, int limit) {
            super("frame of " + length + " bytes exceeds the limit of " + limit);
        }
    }

    private final int limit;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    private ByteBuffer body;

    public FrameDecoder(int limit) {
        this.limit = limit;
    }

    /** Feeds bytes; returns the frames they complete, in order. */
    public List<String> feed(byte[] bytes) throws FrameTooLarge {
        List<String> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        while (in.hasRemaining()) {
            if (body == null) {
                while (header.hasRemaining() && in.hasRemaining()) {
                    header.put(in.get());
                }
                if (header.hasRemaining()) {
                    break;
                }
                int length = header.flip().getInt();
                header.clear();
                if (length < 0 || length > limit) {
                    throw new FrameTooLarge(length & 0xffffffffL, limit);
                }
                body = ByteBuffer.allocate(length);
            }
            int n = Math.min(body.remaining(), in.remaining());
            body.put(bytes, in.position(), n);
            in.position(in.position() + n);
            if (!body.hasRemaining()) {
                frames.add(new String(body.array(), StandardCharsets.UTF_8));
                body = null;
            }
        }
        return frames;
    }

    /** True while a frame has been started but not finished: a sender that stops here is stalling. */
    public boolean midFrame() {
        return body != null || header.position() > 0;
    }

    /** The bytes to send for one frame. */
    public static byte[] encode(String frame) {
        return encode(frame.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes to send for one frame whose UTF-8 is {@code payload}. */
    public static byte[] encode(byte[] payload) {
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(payload.length).put(payload).array();
    }
}
