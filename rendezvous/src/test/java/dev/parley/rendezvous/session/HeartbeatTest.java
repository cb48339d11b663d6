package dev.parley.rendezvous.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.PresenceEvent;
import dev.parley.rendezvous.support.RawWebSocket;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** A node that stops answering (its process hung, its network gone) is dropped within seconds. */
@QuarkusTest
class HeartbeatTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void silentClientIsDroppedAndOthersAreTold() throws IOException {
        String alice = Users.register(Users.fresh("alice"));
        String ghost = Users.register(Users.fresh("ghost"));
        // A hand-made session whose client never reads or answers a ping.
        try (SessionClient a = Sessions.login(base, alice); RawWebSocket silent = RawWebSocket.open(base, Users.login(ghost), 0)) {
            a.awaitPresence(ghost, PresenceEvent.login);
            a.awaitPresence(ghost, PresenceEvent.logout);

            // Alice, whose client answers pings, outlived the timeout and is still listed.
            a.assertOpen();
            try (SessionClient other = Sessions.login(base, Users.register(Users.fresh("carol")))) {
                String id = other.nextId();
                other.send(new ClientMessage.WhoElse(id));
                var users = other.reply(ServerMessage.Users.class, id).users();
                assertTrue(users.contains(alice) && !users.contains(ghost), users.toString());
            }
        }
    }
}
