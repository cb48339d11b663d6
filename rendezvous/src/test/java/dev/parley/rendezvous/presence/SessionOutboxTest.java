package dev.parley.rendezvous.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.PresenceChange;
import dev.parley.common.protocol.ServerMessage.PresenceEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Presence notices for one session leave together at the transport's next turn, in order, never behind later frames. */
class SessionOutboxTest {
    private final ProtocolCodec codec = new ProtocolCodec();
    private final PresenceFrames frames = new PresenceFrames(codec);
    private final RecordingChannel channel = new RecordingChannel();
    private final SessionOutbox outbox = new SessionOutbox(channel);

    /** The transport: what it sent, and the tasks waiting for its next turn. */
    private static final class RecordingChannel implements SessionChannel {
        final List<String> sent = new ArrayList<>();
        final ArrayDeque<Runnable> turn = new ArrayDeque<>();
        Runnable onSend = () -> { };

        @Override
        public void send(String text) {
            sent.add(text);
            onSend.run();
        }

        @Override
        public void ping() {
        }

        @Override
        public void close(short code, String reason) {
            sent.add("close " + code + " " + reason);
        }

        @Override
        public void runOnTransport(Runnable task) {
            turn.add(task);
        }

        void nextTurn() {
            List<Runnable> tasks = new ArrayList<>(turn);
            turn.clear();
            tasks.forEach(Runnable::run);
        }
    }

    private PresenceFrames.Notice notice(String user, PresenceEvent event, long at) {
        return frames.notice(new PresenceChange(user, event, at));
    }

    private ServerMessage.Presence decoded(String frame) {
        var accepted = (ProtocolCodec.Decoded.Accepted<ServerMessage>) codec.decodeServer(frame);
        return (ServerMessage.Presence) accepted.message();
    }

    @Test
    void noticesOfOneTurnLeaveAsOneFrameInOrder() {
        outbox.notice(notice("bob", PresenceEvent.login, 1));
        outbox.notice(notice("carol", PresenceEvent.login, 2));
        outbox.notice(notice("bob", PresenceEvent.logout, 3));
        assertEquals(List.of(), channel.sent, "nothing before the transport's turn");
        assertEquals(1, channel.turn.size(), "one flush scheduled for the turn, not one per notice");

        channel.nextTurn();
        assertEquals(1, channel.sent.size());
        assertEquals(new ServerMessage.Presence(List.of(new PresenceChange("bob", PresenceEvent.login, 1),
                new PresenceChange("carol", PresenceEvent.login, 2), new PresenceChange("bob", PresenceEvent.logout, 3))),
                decoded(channel.sent.get(0)));
    }

    @Test
    void theBatchIsWhatTheCodecWouldWriteAndAOneChangeFrameIsEncodedOnce() {
        var a = notice("bob", PresenceEvent.login, 1);
        var b = notice("carol", PresenceEvent.logout, 2);
        assertEquals(codec.encode(new ServerMessage.Presence(List.of(a.change(), b.change()))), PresenceFrames.frame(List.of(a, b)));
        assertEquals(codec.encode(ServerMessage.Presence.of("bob", PresenceEvent.login, 1)), PresenceFrames.frame(List.of(a)));
        assertTrue(PresenceFrames.frame(List.of(a)) == a.frame(), "the same string for every session told");
    }

    @Test
    void aLaterFrameTakesTheWaitingNoticesOutFirst() {
        outbox.notice(notice("bob", PresenceEvent.login, 1));
        outbox.send("{\"type\":\"pong\"}");
        outbox.close((short) 1000, "bye");
        assertEquals(List.of(PresenceFrames.frame(List.of(notice("bob", PresenceEvent.login, 1))), "{\"type\":\"pong\"}",
                "close 1000 bye"), channel.sent);
        channel.nextTurn();
        assertEquals(3, channel.sent.size(), "the turn finds nothing left");
    }

    @Test
    void aFullFrameLeavesWithoutWaitingSoAStalledTransportHoldsAtMostOne() {
        int max = ServerMessage.Presence.MAX_EVENTS;
        IntStream.range(0, 2 * max + 1).forEach(i -> outbox.notice(notice("u" + i, PresenceEvent.login, i)));
        assertEquals(2, channel.sent.size(), "two full frames went out before the turn");
        assertEquals(max, decoded(channel.sent.get(0)).events().size());
        assertEquals("u" + max, decoded(channel.sent.get(1)).events().get(0).user());
        channel.nextTurn();
        assertEquals(List.of(new PresenceChange("u" + 2 * max, PresenceEvent.login, 2 * max)), decoded(channel.sent.get(2)).events());
    }

    @Test
    void whatIsQueuedWhileSendingGoesOutAfterInOrder() {
        // The transport calls back while sending (a slow consumer's logout): that goes out next, not in between.
        channel.onSend = () -> {
            channel.onSend = () -> { };
            outbox.send("second");
            outbox.notice(notice("dave", PresenceEvent.logout, 9));
        };
        outbox.send("first");
        assertEquals(List.of("first", "second", PresenceFrames.frame(List.of(notice("dave", PresenceEvent.logout, 9)))),
                channel.sent);
    }
}
