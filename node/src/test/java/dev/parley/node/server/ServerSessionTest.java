package dev.parley.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.FakeRendezvous;
import dev.parley.node.route.ServerPath;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session against a stand-in server that drops the connection with requests unanswered. */
class ServerSessionTest {
    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();
    private Vertx serverVertx;
    private Vertx nodeVertx;
    private FakeRendezvous server;
    private ServerSession session;

    @BeforeEach
    void start() throws Exception {
        serverVertx = Vertx.vertx();
        nodeVertx = Vertx.vertx();
        server = FakeRendezvous.start(serverVertx);
        session = new ServerSession(nodeVertx, NodeClock.of(nodeVertx), server.client(nodeVertx), server.codec(),
                new ServerSession.Listener() {
            @Override
            public void online(String user, boolean reconnected) {
                told.add(reconnected ? "reconnected" : "online");
            }

            @Override
            public void pushed(ServerMessage message) {
                told.add("pushed " + message);
            }

            @Override
            public void connectionLost(String why, Duration retryIn) {
                told.add("lost");
            }

            @Override
            public void resending(int messages) {
                told.add("resending " + messages);
            }

            @Override
            public void ended(SessionEnded reason, String message) {
                told.add("ended " + reason);
            }
        }, () -> CompletableFuture.completedFuture("token"));
        session.start("token");
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        server.close();
        nodeVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsLeftUnansweredByADroppedConnectionAreSentAgainInOrderBeforeNewerOnes() throws Exception {
        FakeRendezvous.Session first = server.nextSession();
        first.welcome("alice");
        await("online");

        CompletableFuture<ServerMessage> one = session.request(send("m1", "one"));
        CompletableFuture<ServerMessage> two = session.request(send("m2", "two"));
        CompletableFuture<ServerMessage> three = session.request(send("m3", "three"));
        CompletableFuture<ServerMessage> who = session.request(new ClientMessage.WhoElse("c1"));
        CompletableFuture<ServerMessage> block = session.request(new ClientMessage.Block("c2", "eve"));
        List<ClientMessage> written = List.of(first.next(), first.next(), first.next(), first.next(), first.next());
        assertEquals(List.of("r-m1", "r-m2", "r-m3", "c1", "c2"), written.stream().map(ClientMessage::id).toList());
        first.send(sent("m1"));
        assertInstanceOf(ServerMessage.Sent.class, one.get(10, TimeUnit.SECONDS));

        first.drop();
        await("lost");
        assertEquals(ServerSession.Status.RECONNECTING, session.status());
        // Not safe to repeat (a block that took effect would be refused as "already blocked"): fails, says so.
        Throwable failure = failure(block);
        assertInstanceOf(ServerPath.NotAnswered.class, failure);
        assertTrue(failure.getMessage().contains("may or may not have taken effect"), failure.getMessage());
        assertFalse(two.isDone(), "kept for the next connection");
        CompletableFuture<ServerMessage> four = session.request(send("m4", "four"));

        FakeRendezvous.Session second = server.nextSession();
        second.welcome("alice");
        await("reconnected");
        assertEquals(ServerSession.Status.ONLINE, session.status());
        await("resending 2");
        List<ClientMessage> again = List.of(second.next(), second.next(), second.next(), second.next());
        assertEquals(List.of("r-m2", "r-m3", "c1", "r-m4"), again.stream().map(ClientMessage::id).toList(),
                "the unanswered ones first, in their order, then what came while away");
        assertEquals(List.of("m2", "m3"), again.subList(0, 2).stream()
                .map(m -> ((ClientMessage.Send) m).messageId()).toList(), "with the same message ids");
        assertNull(second.poll(), "the block is not repeated");

        for (String id : List.of("m2", "m3", "m4")) {
            second.send(sent(id));
        }
        second.send(new ServerMessage.Users("c1", List.of("bob")));
        for (var f : List.of(two, three, four)) {
            assertInstanceOf(ServerMessage.Sent.class, f.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("bob"), ((ServerMessage.Users) who.get(10, TimeUnit.SECONDS)).users());
    }

    @Test
    void whenTheSessionEndsWhatWaitsFailsAsUnansweredAndLaterRequestsAsNotSent() throws Exception {
        FakeRendezvous.Session first = server.nextSession();
        first.welcome("alice");
        await("online");
        CompletableFuture<ServerMessage> waiting = session.request(send("m1", "one"));
        first.next();

        session.close();
        assertEquals(SessionEnded.CLOSED, session.ended().get(10, TimeUnit.SECONDS));
        assertInstanceOf(ServerPath.NotAnswered.class, failure(waiting));
        assertInstanceOf(ServerPath.NotSent.class, failure(session.request(send("m2", "two"))));
    }

    private static ClientMessage.Send send(String messageId, String text) {
        return new ClientMessage.Send("r-" + messageId, "bob", text, messageId);
    }

    private static ServerMessage.Sent sent(String messageId) {
        return new ServerMessage.Sent("r-" + messageId, messageId, "bob", ServerMessage.Via.relay);
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got " + f.get());
    }

    /** Waits for the listener to be told {@code what}, skipping anything else. */
    private void await(String what) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        long end = System.nanoTime() + FakeRendezvous.WAIT.toNanos();
        for (String t = told.poll(FakeRendezvous.WAIT.toMillis(), TimeUnit.MILLISECONDS); t != null;
                t = told.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            if (t.equals(what)) {
                return;
            }
            skipped.add(t);
        }
        throw new AssertionError("not told '" + what + "' in time; told " + skipped);
    }
}
