package dev.parley.rendezvous.relay;

import static dev.parley.testsupport.SessionClient.assertErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.Via;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What waits for an offline user is bounded (per recipient, and per sender to a recipient), and a
 * backlog goes out at the pace the node acknowledges it, a window at a time, never all at once.
 */
@QuarkusTest
@TestProfile(BacklogTest.Small.class)
class BacklogTest {
    private static final int WINDOW = 10;
    private static final int MAX_WAITING = 50;
    private static final int MAX_PER_SENDER = 30;

    public static class Small implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.relay.window", Integer.toString(WINDOW),
                    "parley.relay.max-waiting", Integer.toString(MAX_WAITING),
                    "parley.relay.max-waiting-per-sender", Integer.toString(MAX_PER_SENDER));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void offlineQuotaPerSenderAndPerRecipientWithAClearError() {
        String bob = Users.register(Users.fresh("bob"));
        try (SessionClient alice = Sessions.login(base, Users.register(Users.fresh("alice")));
             SessionClient carol = Sessions.login(base, Users.register(Users.fresh("carol")))) {
            List<String> fromAlice = new ArrayList<>();
            for (int i = 0; i < MAX_PER_SENDER; i++) {
                fromAlice.add(Sessions.sendStored(alice, bob, "a" + i));
            }
            String over = alice.nextId();
            alice.send(new ClientMessage.Send(over, bob, "one too many", "alice-over-1"));
            ServerMessage.Error perSender = alice.error(over);
            assertErrorCode("quota", perSender);
            assertTrue(perSender.message().contains("alice-over-1") && perSender.message().contains(bob),
                    "names the message and the recipient: " + perSender.message());

            // A message already stored, sent again (after a reconnect, say), is still just "sent".
            String again = alice.nextId();
            alice.send(new ClientMessage.Send(again, bob, "a0", fromAlice.get(0)));
            assertEquals(fromAlice.get(0), alice.reply(ServerMessage.Sent.class, again).messageId());

            for (int i = 0; i < MAX_WAITING - MAX_PER_SENDER; i++) {
                Sessions.sendStored(carol, bob, "c" + i);
            }
            String full = carol.nextId();
            carol.send(new ClientMessage.Send(full, bob, "no room"));
            assertErrorCode("quota", carol.error(full));

            // Once bob has read some, there is room again.
            try (SessionClient b = Sessions.login(base, bob)) {
                ServerMessage.Deliver first = b.await(ServerMessage.Deliver.class, d -> true);
                b.send(new ClientMessage.Ack(null, first.messageId()));
                b.sync();
            }
            Sessions.sendStored(carol, bob, "room for one more");
        }
    }

    @Test
    void aBacklogGoesOutAWindowAtATimeAsItIsAcknowledged() {
        String bob = Users.register(Users.fresh("bob"));
        try (SessionClient alice = Sessions.login(base, Users.register(Users.fresh("alice")))) {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < MAX_PER_SENDER - 1; i++) { // room for one more, sent while bob reads
                sent.add(Sessions.sendStored(alice, bob, "note " + i));
            }
            try (SessionClient b = Sessions.login(base, bob)) {
                // A window's worth arrives, then nothing more until something is acknowledged; the
                // session answers at once all the same.
                List<String> got = new ArrayList<>();
                for (int i = 0; i < WINDOW; i++) {
                    got.add(b.await(ServerMessage.Deliver.class, d -> true).messageId());
                }
                b.assertNone(ServerMessage.Deliver.class, d -> true);
                String who = b.nextId();
                b.send(new ClientMessage.WhoElse(who));
                b.reply(ServerMessage.Users.class, who);

                // A message sent now waits its turn behind the backlog.
                String live = Sessions.sendStored(alice, bob, "sent while bob reads");
                for (int acked = 0; got.size() < sent.size() + 1; acked++) {
                    b.send(new ClientMessage.Ack(null, got.get(acked)));
                    ServerMessage.Deliver next = b.await(ServerMessage.Deliver.class, d -> true);
                    got.add(next.messageId());
                    assertEquals(next.messageId().equals(live) ? Via.relay : Via.offline, next.via(), next.toString());
                }
                List<String> expected = new ArrayList<>(sent);
                expected.add(live);
                assertEquals(expected, got, "everything, once, in order");
                b.assertNone(ServerMessage.Deliver.class, d -> true);
            }
        }
    }

    @Test
    void aBlockDropsWhatWaitsFromTheBlockedUser() {
        String bob = Users.register(Users.fresh("bob"));
        String mallory = Users.register(Users.fresh("mallory"));
        try (SessionClient m = Sessions.login(base, mallory)) {
            for (int i = 0; i < MAX_PER_SENDER; i++) {
                Sessions.sendStored(m, bob, "spam " + i);
            }
        }
        try (SessionClient b = Sessions.login(base, bob)) {
            b.await(ServerMessage.Deliver.class, d -> d.from().equals(mallory));
            String block = b.nextId();
            b.send(new ClientMessage.Block(block, mallory));
            b.reply(ServerMessage.Ok.class, block);
        }
        try (SessionClient b = Sessions.login(base, bob)) {
            b.assertNone(ServerMessage.Deliver.class, d -> d.from().equals(mallory));
        }
    }
}
