package dev.parley.rendezvous.session;

import static dev.parley.testsupport.SessionClient.assertErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.CloseReason;
import dev.parley.common.protocol.ServerMessage.PresenceEvent;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.TestClock;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Users who send no command for the idle timeout are logged out and told; heartbeats do not count. */
@QuarkusTest
@TestProfile(IdleTimeoutTest.ThirtySeconds.class)
class IdleTimeoutTest {
    public static class ThirtySeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.idle-timeout", "30s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    TestClock clock;

    @Test
    void idleUsersAreLoggedOutAndActiveOnesStay() {
        String alice = Users.register(Users.fresh("alice"));
        String bob = Users.register(Users.fresh("bob"));
        String bobToken = Users.login(bob);
        try (SessionClient a = Sessions.login(base, alice); SessionClient b = Sessions.connect(base, bob, bobToken)) {
            b.await(ServerMessage.Welcome.class, w -> true);
            a.awaitPresence(bob, PresenceEvent.login);

            clock.advance(Duration.ofSeconds(20));
            String id = a.nextId();
            a.send(new ClientMessage.WhoElse(id)); // a command: alice is active
            a.reply(ServerMessage.Users.class, id);
            b.sync(); // a heartbeat only: bob stays idle

            clock.advance(Duration.ofSeconds(15));
            ServerMessage.Closing closing = b.await(ServerMessage.Closing.class, c -> true);
            assertEquals(CloseReason.idle, closing.reason());
            assertEquals("logged out after 30 s without activity", closing.message());
            b.awaitClosed();
            a.awaitPresence(bob, PresenceEvent.logout);
            a.assertOpen();

            try (SessionClient again = Sessions.connect(base, bob, bobToken)) {
                assertErrorCode("unauthenticated", again.await(ServerMessage.Error.class, e -> true));
            }

            clock.advance(Duration.ofSeconds(20));
            assertEquals(CloseReason.idle, a.await(ServerMessage.Closing.class, c -> true).reason());
            a.awaitClosed();
        }
    }
}
