package dev.parley.rendezvous.account;

import static dev.parley.rendezvous.support.SourceAddress.from;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.TestClock;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per client address (logins, registrations) and per user (requests for a direct
 * link), and the bound on password hashing: what is over a limit gets a fast answer saying when to
 * try again, and never reaches the expensive work.
 */
@QuarkusTest
@TestProfile(ThrottleTest.Tight.class)
class ThrottleTest {
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "parley.rate-limit.login-per-address", "5/60s",
                    "parley.rate-limit.register-per-address", "3/1h",
                    "parley.rate-limit.getaddress-per-user", "2/60s",
                    "parley.password-hash.concurrency", "1");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    TestClock clock;

    private static ValidatableResponse post(String path, String source, String username, String password)
            throws Exception {
        return given().config(from(source)).contentType(ContentType.JSON)
                .body(new Api.Credentials(username, password)).when().post(path).then();
    }

    @Test
    void registrationsAndLoginsArePerAddress() throws Exception {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = Users.fresh("reg");
            post(Api.REGISTER, "127.0.1.1", name, Users.PASSWORD).statusCode(201);
            made.add(name);
        }
        post(Api.REGISTER, "127.0.1.1", Users.fresh("reg"), Users.PASSWORD).statusCode(429)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("rate-limited"), "retryAfterSeconds", notNullValue());
        post(Api.REGISTER, "127.0.1.2", Users.fresh("reg"), Users.PASSWORD).statusCode(201); // another address

        // One password sprayed over many names from one address: the sixth login is not even tried.
        for (int i = 0; i < 5; i++) {
            post(Api.LOGIN, "127.0.1.3", Users.fresh("spray"), "Winter2026!").statusCode(401);
        }
        post(Api.LOGIN, "127.0.1.3", made.get(0), Users.PASSWORD).statusCode(429).body("code", equalTo("rate-limited"));
        post(Api.LOGIN, "127.0.1.4", made.get(0), Users.PASSWORD).statusCode(200);

        // The bucket refills with time.
        clock.advance(Duration.ofSeconds(60));
        post(Api.LOGIN, "127.0.1.3", made.get(0), Users.PASSWORD).statusCode(200);
    }

    @Test
    void aBurstBeyondTheHashingBoundIsTurnedAwayFastAndTheRestAreChecked() throws Exception {
        String name = Users.register(Users.fresh("burst"));
        ExecutorService clients = Executors.newFixedThreadPool(30);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                // From 30 addresses, so no per-address limit stands in the way: only the hashing bound.
                String source = "127.0.2." + (i + 1);
                answers.add(clients.submit(() -> post(Api.LOGIN, source, Users.fresh("nobody"), "whatever").extract()));
            }
            int busy = 0;
            for (Future<ExtractableResponse<Response>> answer : answers) {
                ExtractableResponse<Response> response = answer.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 503) {
                    assertEquals("retry-later", response.path("code"), response.asString());
                    assertTrue(response.header("Retry-After") != null, "says when to come back");
                    busy++;
                } else {
                    assertEquals(401, response.statusCode(), response.asString());
                }
            }
            assertTrue(busy > 0, "with one hash at a time, some of 30 parallel logins were turned away");
        } finally {
            clients.shutdownNow();
        }
        // Once the burst is over, a login goes through as usual.
        post(Api.LOGIN, "127.0.2.100", name, Users.PASSWORD).statusCode(200);
    }

    @Test
    void requestsForADirectLinkArePerUser() {
        String asker = Users.register(Users.fresh("asker"));
        String other = Users.register(Users.fresh("other"));
        try (SessionClient a = Sessions.login(base, asker); SessionClient o = Sessions.login(base, other)) {
            for (int i = 0; i < 3; i++) {
                String id = a.nextId();
                a.send(new ClientMessage.GetAddress(id, other));
                ServerMessage reply = a.await(ServerMessage.class, m -> m instanceof ServerMessage.Reply r && id.equals(r.re()));
                if (i < 2) {
                    // Not rate-limited (the node announced no identity, which is refused on its own).
                    assertTrue(!(reply instanceof ServerMessage.Error e) || !"rate-limited".equals(e.code().wire()),
                            reply.toString());
                } else {
                    SessionClient.assertErrorCode("rate-limited", (ServerMessage.Error) reply);
                }
            }
        }
    }
}
