package dev.parley.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.route.ServerPath;
import dev.parley.node.time.ManualNodeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The session's timing and reconnecting, on a manual clock and a stand-in connection: everything
 * runs on the test's thread, and time moves only when the test says.
 */
class ServerSessionReconnectTest {
    private final ProtocolCodec codec = new ProtocolCodec();
    private final ManualNodeClock clock = new ManualNodeClock();
    private final FakeSessionSocket.Dialer dialer = new FakeSessionSocket.Dialer(clock);
    private final List<String> told = new ArrayList<>();
    private final List<Duration> retryIns = new ArrayList<>();
    private final ServerSession session = new ServerSession(Runnable::run, clock, dialer, codec, new ServerSession.Listener() {
        @Override
        public void online(String user, boolean reconnected) {
            told.add(reconnected ? "reconnected" : "online");
        }

        @Override
        public void pushed(ServerMessage message) {
            told.add("pushed " + message.getClass().getSimpleName());
        }

        @Override
        public void connectionLost(String why, Duration retryIn) {
            told.add("lost: " + why);
            retryIns.add(retryIn);
        }

        @Override
        public void resending(int messages) {
            told.add("resending " + messages);
        }

        @Override
        public void ended(SessionEnded reason, String message) {
            told.add("ended " + reason);
        }
    }, () -> CompletableFuture.completedFuture("fresh token"));

    @Test
    void aLostConnectionIsToldOnceHoweverManyAttemptsFailAndItsReturnOnce() {
        session.start("token");
        assertEquals(ServerSession.Status.CONNECTING, session.status());
        FakeSessionSocket first = dialer.connect(codec);
        first.receive(welcome());
        assertEquals(ServerSession.Status.ONLINE, session.status());

        first.drop();
        assertEquals(List.of("online", "lost: connection closed"), told);
        assertTrue(retryIns.get(0).compareTo(Duration.ofSeconds(1)) <= 0, "the first retry comes within a second");
        assertEquals(ServerSession.Status.RECONNECTING, session.status());
        for (int attempt = 0; attempt < 4; attempt++) {
            clock.advance(ServerSession.MAX_BACKOFF);
            dialer.refuse();
        }
        assertEquals(5, dialer.attempts());
        assertEquals(List.of("online", "lost: connection closed"), told, "failed attempts are not new losses");
        assertEquals(ServerSession.Status.RECONNECTING, session.status());

        clock.advance(ServerSession.MAX_BACKOFF);
        FakeSessionSocket second = dialer.connect(codec);
        assertEquals(ServerSession.Status.RECONNECTING, session.status(), "connected, not welcomed yet");
        second.receive(welcome());
        assertEquals(List.of("online", "lost: connection closed", "reconnected"), told);
        assertEquals(ServerSession.Status.ONLINE, session.status());

        second.drop();
        assertEquals("lost: connection closed", told.get(3), "a new outage is told again");
        assertTrue(retryIns.get(1).compareTo(Duration.ofSeconds(1)) <= 0, "the backoff starts over after a welcome");
    }

    @Test
    void attemptsBackOffDoublingWithJitterUpToThirtySeconds() {
        dialer.unreachable();
        session.start("token");
        assertEquals(List.of("lost: cannot reach the server: Connection refused"), told,
                "a server unreachable from the start is told as well, once");
        clock.advance(Duration.ofMinutes(3));
        long[] maxSeconds = {1, 2, 4, 8, 16, 30, 30, 30};
        List<Long> at = dialer.atNanos();
        assertTrue(at.size() > maxSeconds.length, "attempts: " + at.size());
        for (int i = 0; i < maxSeconds.length; i++) {
            long gap = at.get(i + 1) - at.get(i);
            long max = Duration.ofSeconds(maxSeconds[i]).toNanos();
            assertTrue(gap >= max / 2 && gap <= max, "attempt " + (i + 2) + " came " + gap + " ns after the one before");
        }
        assertEquals(1, told.size(), told.toString());
        assertEquals(ServerSession.Status.RECONNECTING, session.status());

        session.close();
        assertEquals(ServerSession.Status.ENDED, session.status());
        assertEquals(0, clock.manual().pendingTimers(), "no attempt after the end");
    }

    @Test
    void aServerThatGoesQuietIsLeftAndCalledAgain() {
        session.start("token");
        FakeSessionSocket socket = dialer.connect(codec);
        socket.receive(welcome());
        for (int beat = 1; beat <= 4; beat++) {
            clock.advance(ServerSession.HEARTBEAT);
            socket.ping();
        }
        assertEquals(List.of(), socket.written(), "a server that pings needs no ping of ours");
        assertFalse(socket.closed(), "its pings keep it up");

        // It stops pinging: the node asks once it has heard nothing for a while, and an answer will do.
        for (int beat = 1; beat <= 4; beat++) {
            clock.advance(ServerSession.QUIET);
            assertEquals(beat, socket.written().size(), "one ping per quiet spell");
            assertInstanceOf(ClientMessage.Ping.class, socket.written().get(beat - 1));
            socket.receive(new ServerMessage.Pong(null));
        }
        assertFalse(socket.closed(), "answered pings keep it up");

        clock.advance(ServerSession.SILENCE_LIMIT.plus(ServerSession.HEARTBEAT));
        assertTrue(socket.closed());
        assertEquals((short) 1001, socket.closeStatus());
        assertEquals(List.of("online", "lost: the server stopped answering"), told);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, dialer.attempts(), "and tries again");
    }

    @Test
    void requestsMadeWhileAwayWaitForTheWelcomeAndGoInOrder() {
        session.start("token");
        FakeSessionSocket first = dialer.connect(codec);
        first.receive(welcome());
        first.drop();

        CompletableFuture<ServerMessage> send = session.request(new ClientMessage.Send("r-m1", "bob", "one", "m1"));
        CompletableFuture<ServerMessage> who = session.request(new ClientMessage.WhoElse("c1"));
        session.tell(new ClientMessage.Ack(null, "dropped while away: the server resends"));
        clock.advance(Duration.ofSeconds(1));
        FakeSessionSocket second = dialer.connect(codec);
        assertTrue(second.requests().isEmpty(), "nothing before the welcome");
        second.receive(welcome());
        assertEquals(List.of("r-m1", "c1"), second.requests().stream().map(ClientMessage::id).toList());
        assertTrue(first.written().isEmpty());

        second.receive(new ServerMessage.Sent("r-m1", "m1", "bob", ServerMessage.Via.relay));
        second.receive(new ServerMessage.Users("c1", List.of("bob")));
        assertInstanceOf(ServerMessage.Sent.class, send.join());
        assertEquals(List.of("bob"), ((ServerMessage.Users) who.join()).users());
    }

    @Test
    void theQueueIsBoundedWhileAway() {
        session.start("token");
        dialer.refuse();
        for (int i = 0; i < ServerSession.MAX_QUEUED; i++) {
            assertFalse(session.request(new ClientMessage.WhoElse("c" + i)).isDone());
        }
        CompletableFuture<ServerMessage> oneTooMany = session.request(new ClientMessage.WhoElse("late"));
        CompletionException e = assertThrows(CompletionException.class, oneTooMany::join);
        assertInstanceOf(ServerPath.NotAnswered.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains(ServerSession.MAX_QUEUED + " commands are already waiting"),
                e.getCause().getMessage());
    }

    @Test
    void aRefusedTokenIsRenewedAndTheSessionGoesOnWithoutTellingALoss() {
        session.start("token");
        FakeSessionSocket first = dialer.connect(codec);
        first.receive(new ServerMessage.Error(null, ErrorCode.UNAUTHENTICATED, "expired"));
        first.drop();
        FakeSessionSocket second = dialer.connect(codec);
        second.receive(welcome());
        assertEquals(List.of("token", "fresh token"), dialer.tokens());
        assertEquals(List.of("online"), told);
    }

    private static ServerMessage.Welcome welcome() {
        return new ServerMessage.Welcome("alice", 0);
    }
}
