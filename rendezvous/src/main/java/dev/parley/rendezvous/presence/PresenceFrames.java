package dev.parley.rendezvous.presence;

import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.PresenceChange;
import java.util.List;

/**
 * Presence frames for many sessions, each change encoded once: a login reaches everyone online,
 * and every session's frame is that change's JSON, alone or joined with others that piled up for
 * the session. The frame's envelope is cut from the codec's own encoding of a {@code presence},
 * so the protocol stays defined in one place.
 */
final class PresenceFrames {
    private final ProtocolCodec codec;
    /** {@code {"type":"presence","events":[} as the codec writes it. */
    private final String head;
    /** {@code ]}} as the codec writes it. */
    private final String tail;

    PresenceFrames(ProtocolCodec codec) {
        this.codec = codec;
        PresenceChange sample = new PresenceChange("sample", ServerMessage.PresenceEvent.login, 0);
        String change = codec.encode(sample);
        String frame = codec.encode(new ServerMessage.Presence(List.of(sample)));
        int at = frame.indexOf(change);
        if (at < 0 || frame.indexOf(change, at + 1) >= 0) {
            throw new IllegalStateException("a presence frame does not hold its change as written alone: " + frame);
        }
        this.head = frame.substring(0, at);
        this.tail = frame.substring(at + change.length());
    }

    /** One change, encoded now, for as many sessions as it goes to. */
    Notice notice(PresenceChange change) {
        String json = codec.encode(change);
        return new Notice(change, json, head + json + tail, this);
    }

    /** A change and its encodings: alone ({@code json}) and as a frame of its own ({@code frame}). */
    record Notice(PresenceChange change, String json, String frame, PresenceFrames frames) {
    }

    /** The frame for changes in order (1 to {@link ServerMessage.Presence#MAX_EVENTS}). */
    static String frame(List<Notice> batch) {
        Notice first = batch.get(0);
        if (batch.size() == 1) {
            return first.frame();
        }
        PresenceFrames frames = first.frames();
        int length = frames.head.length() + frames.tail.length() + batch.size();
        for (Notice n : batch) {
            length += n.json().length();
        }
        StringBuilder out = new StringBuilder(length).append(frames.head);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(batch.get(i).json());
        }
        return out.append(frames.tail).toString();
    }
}
