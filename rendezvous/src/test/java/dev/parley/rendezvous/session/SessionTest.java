package dev.parley.rendezvous.session;

import static dev.parley.testsupport.SessionClient.assertErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.PresenceEvent;
import dev.parley.common.protocol.ServerMessage.Via;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.TestClock;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WebSocket session with real clients: presence, blocking, relay, takeover and logout. */
@QuarkusTest
class SessionTest {
    @Inject
    TestClock clock;

    @RegisterExtension
    final Sessions sessions = new Sessions();

    private String user(String stem) {
        return Users.register(Users.fresh(stem));
    }

    private SessionClient online(String username) {
        return sessions.online(username);
    }

    @Test
    void sessionWithoutValidTokenIsRefused() {
        SessionClient c = sessions.open("nobody", "not-a-token");
        assertErrorCode("unauthenticated", c.await(ServerMessage.Error.class, e -> true));
        assertEquals(1008, c.awaitClosed());
        SessionClient none = sessions.open("anonymous", null);
        assertErrorCode("unauthenticated", none.await(ServerMessage.Error.class, e -> true));
    }

    @Test
    void othersAreToldOfLoginAndLogoutAndListed() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        SessionClient b = online(bob);
        a.awaitPresence(bob, PresenceEvent.login);

        String id = b.nextId();
        b.send(new ClientMessage.WhoElse(id));
        List<String> users = b.reply(ServerMessage.Users.class, id).users();
        assertTrue(users.contains(alice), users.toString());
        assertFalse(users.contains(bob), "whoelse excludes the asker");

        b.close();
        a.awaitPresence(bob, PresenceEvent.logout);
        String id2 = a.nextId();
        a.send(new ClientMessage.WhoElse(id2));
        assertFalse(a.reply(ServerMessage.Users.class, id2).users().contains(bob));
    }

    @Test
    void whoelsesinceListsRecentUsersOnly() {
        String carol = user("carol");
        String dave = user("dave");
        SessionClient c = online(carol);
        c.close();
        SessionClient d = online(dave);
        String id = d.nextId();
        d.send(new ClientMessage.WhoElseSince(id, 60L));
        assertTrue(d.reply(ServerMessage.Users.class, id).users().contains(carol));

        clock.advance(Duration.ofMinutes(10));
        String id2 = d.nextId();
        d.send(new ClientMessage.WhoElseSince(id2, 60L));
        assertFalse(d.reply(ServerMessage.Users.class, id2).users().contains(carol), "carol left 10 minutes ago");
        String id3 = d.nextId();
        d.send(new ClientMessage.WhoElseSince(id3, 3600L));
        assertTrue(d.reply(ServerMessage.Users.class, id3).users().contains(carol));
    }

    @Test
    void blockHidesPresenceBothWaysUntilUnblocked() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        SessionClient a = online(alice);
        SessionClient c = online(carol);
        SessionClient b = online(bob);
        a.awaitPresence(bob, PresenceEvent.login);

        String id = a.nextId();
        a.send(new ClientMessage.Block(id, bob));
        assertEquals("blocked " + bob, a.reply(ServerMessage.Ok.class, id).message());
        // Bob sees alice leave; alice, told "blocked", is not also told bob logged out (he did not).
        b.awaitPresence(alice, PresenceEvent.logout);
        a.assertNoPresence(bob);

        String w = b.nextId();
        b.send(new ClientMessage.WhoElse(w));
        List<String> seenByBob = b.reply(ServerMessage.Users.class, w).users();
        assertFalse(seenByBob.contains(alice), "a user who blocked you is invisible");
        assertTrue(seenByBob.contains(carol));

        b.close();
        c.awaitPresence(bob, PresenceEvent.logout);
        a.assertNoPresence(bob);

        SessionClient b2 = online(bob);
        c.awaitPresence(bob, PresenceEvent.login);
        a.assertNoPresence(bob);

        String lst = a.nextId();
        a.send(new ClientMessage.ListBlocked(lst));
        assertEquals(List.of(bob), a.reply(ServerMessage.BlockList.class, lst).users());

        String un = a.nextId();
        a.send(new ClientMessage.Unblock(un, bob));
        a.reply(ServerMessage.Ok.class, un);
        b2.awaitPresence(alice, PresenceEvent.login);
        a.assertNoPresence(bob);
        String again = a.nextId();
        a.send(new ClientMessage.WhoElse(again));
        assertTrue(a.reply(ServerMessage.Users.class, again).users().contains(bob), "listed again after the unblock");
    }

    @Test
    void blockRequestsAreChecked() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        String self = a.nextId();
        a.send(new ClientMessage.Block(self, alice));
        assertErrorCode("self", a.error(self));
        String unknown = a.nextId();
        a.send(new ClientMessage.Block(unknown, Users.fresh("ghost")));
        assertErrorCode("no-such-user", a.error(unknown));
        String notBlocked = a.nextId();
        a.send(new ClientMessage.Unblock(notBlocked, bob));
        assertErrorCode("not-blocked", a.error(notBlocked));
        String first = a.nextId();
        a.send(new ClientMessage.Block(first, bob.toUpperCase()));
        assertEquals("blocked " + bob, a.reply(ServerMessage.Ok.class, first).message(), "names ignore case");
        String twice = a.nextId();
        a.send(new ClientMessage.Block(twice, bob));
        assertErrorCode("already-blocked", a.error(twice));
    }

    @Test
    void messageToOnlineUserIsRelayedAtOnce() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        SessionClient b = online(bob);
        String id = a.nextId();
        a.send(new ClientMessage.Send(id, bob, "hello bob"));
        ServerMessage.Sent sent = a.reply(ServerMessage.Sent.class, id);
        assertEquals(Via.relay, sent.via());
        ServerMessage.Deliver got = b.await(ServerMessage.Deliver.class, d -> d.messageId().equals(sent.messageId()));
        assertEquals(alice, got.from());
        assertEquals(bob, got.to());
        assertEquals("hello bob", got.text());
        assertEquals(Via.relay, got.via());
        b.send(new ClientMessage.Ack(null, got.messageId()));
        ServerMessage.Delivered receipt = a.await(ServerMessage.Delivered.class, d -> d.messageId().equals(sent.messageId()));
        assertEquals(bob, receipt.to(), "the sender learns the recipient has it");
    }

    @Test
    void twoSendersAtOnceReachAnOnlineUserOnceEachInTheirOrder() {
        String alice = user("alice");
        String carol = user("carol");
        String bob = user("bob");
        SessionClient a = online(alice);
        SessionClient c = online(carol);
        SessionClient b = online(bob);
        // Both send without waiting for answers, so their stores and pushes overlap.
        List<String> fromAlice = new ArrayList<>();
        List<String> fromCarol = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String ida = a.nextId();
            a.send(new ClientMessage.Send(ida, bob, "a" + i));
            fromAlice.add(ida);
            String idc = c.nextId();
            c.send(new ClientMessage.Send(idc, bob, "c" + i));
            fromCarol.add(idc);
        }
        fromAlice.forEach(id -> a.reply(ServerMessage.Sent.class, id));
        fromCarol.forEach(id -> c.reply(ServerMessage.Sent.class, id));
        List<ServerMessage.Deliver> got = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            got.add(b.await(ServerMessage.Deliver.class, d -> true));
        }
        b.assertNone(ServerMessage.Deliver.class, d -> true);
        List<String> expectedA = new ArrayList<>();
        List<String> expectedC = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expectedA.add("a" + i);
            expectedC.add("c" + i);
        }
        assertEquals(expectedA, got.stream().filter(d -> d.from().equals(alice)).map(ServerMessage.Deliver::text).toList());
        assertEquals(expectedC, got.stream().filter(d -> d.from().equals(carol)).map(ServerMessage.Deliver::text).toList());
        got.forEach(d -> b.send(new ClientMessage.Ack(null, d.messageId())));
        for (ServerMessage.Deliver d : got) {
            SessionClient sender = d.from().equals(alice) ? a : c;
            sender.await(ServerMessage.Delivered.class, r -> r.messageId().equals(d.messageId()));
        }
    }

    @Test
    void aResentMessageIdIsStoredAndDeliveredOnce() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        SessionClient b = online(bob);
        String messageId = "m-" + Users.fresh("x").replace('.', '_');
        for (int i = 0; i < 2; i++) {
            String id = a.nextId();
            a.send(new ClientMessage.Send(id, bob, "only once", messageId));
            assertEquals(messageId, a.reply(ServerMessage.Sent.class, id).messageId());
        }
        b.await(ServerMessage.Deliver.class, d -> d.messageId().equals(messageId));
        b.assertNone(ServerMessage.Deliver.class, d -> d.messageId().equals(messageId));

        String carol = user("carol");
        // The same id for another recipient is not "the same message again": refused, naming the id.
        String elsewhere = a.nextId();
        a.send(new ClientMessage.Send(elsewhere, carol, "another message", messageId));
        ServerMessage.Error clash = a.error(elsewhere);
        assertErrorCode("invalid", clash);
        assertTrue(clash.message().contains(messageId), clash.message());

        SessionClient c = online(carol);
        String stolen = c.nextId();
        c.send(new ClientMessage.Send(stolen, bob, "not mine", messageId));
        assertErrorCode("invalid", c.error(stolen));
        b.assertNone(ServerMessage.Deliver.class, d -> d.text().equals("not mine"));
    }

    @Test
    void messagesThatCannotBeSentSayWhy() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        SessionClient a = online(alice);
        SessionClient b = online(bob);

        String unknown = a.nextId();
        a.send(new ClientMessage.Send(unknown, Users.fresh("ghost"), "hi"));
        assertErrorCode("no-such-user", a.error(unknown));
        String self = a.nextId();
        a.send(new ClientMessage.Send(self, alice, "hi me"));
        assertErrorCode("self", a.error(self));

        String blk = b.nextId();
        b.send(new ClientMessage.Block(blk, alice));
        b.reply(ServerMessage.Ok.class, blk);
        String toBlocker = a.nextId();
        a.send(new ClientMessage.Send(toBlocker, bob, "let me in"));
        ServerMessage.Error e = a.error(toBlocker);
        assertErrorCode("blocked", e);
        assertEquals(bob + " has blocked you", e.message());
        String toBlocked = b.nextId();
        b.send(new ClientMessage.Send(toBlocked, alice, "psst"));
        assertErrorCode("blocked", b.error(toBlocked));
        a.assertNone(ServerMessage.Deliver.class, d -> true);
        b.assertNone(ServerMessage.Deliver.class, d -> true);

        // Blocked users' messages are not stored either.
        String off = a.nextId();
        a.send(new ClientMessage.Send(off, carol, "offline is fine"));
        assertEquals(Via.offline, a.reply(ServerMessage.Sent.class, off).via());
    }

    @Test
    void broadcastReachesEveryoneButSenderAndBlocksEitherWay() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        String dave = user("dave");
        String erin = user("erin");
        SessionClient a = online(alice);
        SessionClient b = online(bob);
        SessionClient c = online(carol);
        SessionClient d = online(dave);
        SessionClient e = online(erin);
        String blk = d.nextId();
        d.send(new ClientMessage.Block(blk, alice)); // dave blocked alice
        d.reply(ServerMessage.Ok.class, blk);
        String blk2 = a.nextId();
        a.send(new ClientMessage.Block(blk2, erin)); // alice blocked erin
        a.reply(ServerMessage.Ok.class, blk2);

        String id = a.nextId();
        a.send(new ClientMessage.Broadcast(id, "hello all"));
        a.reply(ServerMessage.Ok.class, id);
        for (SessionClient x : List.of(b, c)) {
            ServerMessage.BroadcastMessage m = x.await(ServerMessage.BroadcastMessage.class, bm -> bm.from().equals(alice));
            assertEquals("hello all", m.text());
        }
        d.assertNone(ServerMessage.BroadcastMessage.class, bm -> bm.from().equals(alice));
        e.assertNone(ServerMessage.BroadcastMessage.class, bm -> bm.from().equals(alice));
        a.assertNone(ServerMessage.BroadcastMessage.class, bm -> true);
    }

    @Test
    void offlineMessagesArriveInOrderAtLoginUntilAcknowledged() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String id = a.nextId();
            a.send(new ClientMessage.Send(id, bob, "note " + i));
            ServerMessage.Sent sent = a.reply(ServerMessage.Sent.class, id);
            assertEquals(Via.offline, sent.via());
            ids.add(sent.messageId());
        }

        SessionClient b = online(bob);
        List<ServerMessage.Deliver> first = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            first.add(b.await(ServerMessage.Deliver.class, d -> true));
        }
        assertEquals(ids, first.stream().map(ServerMessage.Deliver::messageId).toList(), "oldest first");
        assertEquals(List.of("note 1", "note 2", "note 3", "note 4", "note 5"),
                first.stream().map(ServerMessage.Deliver::text).toList());
        assertTrue(first.stream().allMatch(d -> d.via() == Via.offline && d.from().equals(alice)));
        // Bob shows three, then his connection drops before he acknowledges the rest.
        for (int i = 0; i < 3; i++) {
            b.send(new ClientMessage.Ack(null, ids.get(i)));
        }
        b.sync();
        b.close();

        SessionClient b2 = online(bob);
        List<String> again = List.of(
                b2.await(ServerMessage.Deliver.class, d -> true).messageId(),
                b2.await(ServerMessage.Deliver.class, d -> true).messageId());
        assertEquals(ids.subList(3, 5), again, "the unacknowledged ones come again, in order, and only they");
        b2.assertNone(ServerMessage.Deliver.class, d -> true);
        again.forEach(mid -> b2.send(new ClientMessage.Ack(null, mid)));
        b2.sync();
        b2.close();

        SessionClient b3 = online(bob);
        b3.assertNone(ServerMessage.Deliver.class, d -> true);
    }

    @Test
    void secondLoginTakesOverTheFirstSession() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        String oldToken = Users.login(bob);
        SessionClient first = sessions.open("bob-1", oldToken);
        first.await(ServerMessage.Welcome.class, w -> true);

        SessionClient second = online(bob); // logs in again over HTTP
        ServerMessage.Closing closing = first.await(ServerMessage.Closing.class, x -> true);
        assertEquals(ServerMessage.CloseReason.takeover, closing.reason());
        assertEquals("logged in elsewhere", closing.message());
        first.awaitClosed();
        second.assertOpen();

        SessionClient stale = sessions.open("bob-stale", oldToken);
        assertErrorCode("unauthenticated", stale.await(ServerMessage.Error.class, e -> true));

        String id = a.nextId();
        a.send(new ClientMessage.Send(id, bob, "which one?"));
        String mid = a.reply(ServerMessage.Sent.class, id).messageId();
        second.await(ServerMessage.Deliver.class, d -> d.messageId().equals(mid));
    }

    @Test
    void logoutEndsTheSessionAndRevokesItsToken() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        String token = Users.login(bob);
        SessionClient b = sessions.open(bob, token);
        b.await(ServerMessage.Welcome.class, w -> true);
        a.awaitPresence(bob, PresenceEvent.login);

        b.send(new ClientMessage.Logout(null));
        assertEquals(ServerMessage.CloseReason.logout, b.await(ServerMessage.Closing.class, x -> true).reason());
        b.awaitClosed();
        a.awaitPresence(bob, PresenceEvent.logout);
        SessionClient again = sessions.open(bob, token);
        assertErrorCode("unauthenticated", again.await(ServerMessage.Error.class, e -> true));
    }

    @Test
    void binaryFramesAreRefusedAndAFrameOverOneMebibyteClosesTheConnection() {
        SessionClient a = online(user("alice"));
        a.sendBinary(new byte[] {1, 2, 3});
        ServerMessage.Error binary = a.await(ServerMessage.Error.class, e -> true);
        assertErrorCode("malformed", binary);
        assertTrue(binary.message().contains("binary"), binary.message());
        a.assertOpen();

        a.sendRaw("{\"type\":\"broadcast\",\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertErrorCode("too-large", a.await(ServerMessage.Error.class, e -> true));
        assertEquals(1009, a.awaitClosed());
    }

    @Test
    void badFramesGetErrorsAndTheSessionCarriesOn() {
        String alice = user("alice");
        String bob = user("bob");
        SessionClient a = online(alice);
        SessionClient b = online(bob);

        a.sendRaw("{\"type\":\"send\",");
        assertErrorCode("malformed", a.await(ServerMessage.Error.class, e -> e.message().startsWith("malformed JSON")));
        a.sendRaw("{\"type\":\"teleport\",\"id\":\"t1\"}");
        ServerMessage.Error unknown = a.error("t1");
        assertErrorCode("unknown-type", unknown);
        assertEquals("unknown message type 'teleport'", unknown.message());
        a.sendRaw("{\"type\":\"send\",\"id\":\"m1\",\"text\":\"hi\"}");
        assertEquals("missing field 'to'", a.error("m1").message());
        a.sendRaw("{\"type\":\"send\",\"id\":\"u1\",\"to\":\"bad name!\",\"text\":\"hi\"}");
        assertErrorCode("invalid", a.error("u1"));
        a.sendRaw("{\"type\":\"broadcast\",\"text\":\"" + "x".repeat(100_000) + "\"}");
        assertErrorCode("too-large", a.await(ServerMessage.Error.class, e -> true));
        a.sendRaw("{\"no\":\"type\",\"id\":\"n1\"}");
        assertEquals("missing field 'type'", a.error("n1").message());
        a.sendRaw("\u0000\u0001 not json at all \uFFFD");
        assertErrorCode("malformed", a.await(ServerMessage.Error.class, e -> true));

        // Still fully working.
        String id = a.nextId();
        a.send(new ClientMessage.Send(id, bob, "still here"));
        assertEquals(Via.relay, a.reply(ServerMessage.Sent.class, id).via());
        b.await(ServerMessage.Deliver.class, d -> d.text().equals("still here"));
    }
}
