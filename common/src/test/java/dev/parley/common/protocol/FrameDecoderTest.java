package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    @Test
    void cutsFramesAcrossAnyChunking() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> sent = List.of("{\"type\":\"ping\"}", "", "héllo ✓", "x".repeat(1000));
        for (String s : sent) {
            stream.write(FrameDecoder.encode(s));
        }
        byte[] all = stream.toByteArray();
        for (int chunk : new int[] {1, 3, 7, all.length}) {
            FrameDecoder decoder = new FrameDecoder(2048);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < all.length; i += chunk) {
                byte[] part = java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + chunk));
                got.addAll(decoder.feed(part));
            }
            assertEquals(sent, got, "chunk " + chunk);
            assertFalse(decoder.midFrame());
        }
    }

    @Test
    void framesBytesAsItFramesText() {
        String text = "héllo ✓";
        assertArrayEquals(FrameDecoder.encode(text), FrameDecoder.encode(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesAnOversizedLengthBeforeBufferingIt() {
        FrameDecoder decoder = new FrameDecoder(1024);
        var e = assertThrows(FrameDecoder.FrameTooLarge.class, () -> decoder.feed(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertEquals("frame of 2147483647 bytes exceeds the limit of 1024", e.getMessage());
        assertThrows(FrameDecoder.FrameTooLarge.class, () -> new FrameDecoder(1024).feed(new byte[] {(byte) 0xff, 0, 0, 0}));
    }

    @Test
    void knowsWhenASenderStoppedMidFrame() throws Exception {
        FrameDecoder decoder = new FrameDecoder(1024);
        assertTrue(decoder.feed(new byte[] {0, 0}).isEmpty());
        assertTrue(decoder.midFrame());
    }
}
