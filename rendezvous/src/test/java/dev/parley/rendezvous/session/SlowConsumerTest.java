package dev.parley.rendezvous.session;

import static io.restassured.RestAssured.given;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading but keeps itself alive with pings must not make the server hold
 * more and more for it: past the per-session bound it is disconnected as a slow consumer, its
 * socket is closed, and everyone else is served as before.
 */
@QuarkusTest
@TestProfile(SlowConsumerTest.SmallBound.class)
class SlowConsumerTest {
    private static final int MAX_BROADCASTS = 4000;

    public static class SmallBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.session.max-outbound-bytes", "65536");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URI metrics;

    @Test
    void aClientThatStopsReadingIsDisconnectedAndTheServerStaysResponsive() throws Exception {
        String watcher = Users.register(Users.fresh("watcher"));
        String flooder = Users.register(Users.fresh("flooder"));
        String stalled = Users.register(Users.fresh("stalled"));
        String text = "x".repeat(4000);
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        try (SessionClient w = Sessions.login(base, watcher); SessionClient f = Sessions.login(base, flooder);
             RawWebSocket raw = RawWebSocket.open(base, Users.login(stalled), 4096)) {
            w.awaitPresence(stalled, PresenceEvent.login);
            // Never reads, but pings the server often enough never to be taken for dead.
            pinger.scheduleAtFixedRate(() -> {
                try {
                    raw.sendText("{\"type\":\"ping\"}");
                } catch (Exception e) {
                    // closed under us: the point of the test
                }
            }, 0, 500, TimeUnit.MILLISECONDS);

            boolean dropped = false;
            for (int i = 0; i < MAX_BROADCASTS && !dropped; i++) {
                f.send(new ClientMessage.Broadcast(f.nextId(), text));
                if (i % 10 == 9) {
                    f.sync(); // the flooder's own requests are answered all along
                    // The watcher reads all along, but on a busy machine its client may fall behind the
                    // server's pace; its answer shows it has caught up (ten frames: under the bound).
                    w.sync();
                    dropped = w.hasPresence(stalled, PresenceEvent.logout);
                }
            }
            assertTrue(dropped, "the stalled session was not closed after " + MAX_BROADCASTS + " broadcasts of 4 KB");
            pinger.shutdownNow();

            // The socket itself is closed too, though its close handshake could never get through.
            assertTrue(raw.drainUntilClosed(Duration.ofSeconds(20)), "the server closed the stalled connection");

            // Everyone else is served as before.
            w.assertOpen();
            f.assertOpen();
            given().when().get("/q/health/live").then().statusCode(200);
            String scraped = given().when().get(metrics).then().statusCode(200).extract().asString();
            assertTrue(scraped.lines().anyMatch(l -> l.startsWith("parley_sessions_closed_total{reason=\"slow-consumer\"")
                    && !l.endsWith(" 0.0")), "counted in the metrics");
        } finally {
            pinger.shutdownNow();
        }
    }
}
