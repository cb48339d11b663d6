package dev.parley.rendezvous.account;

import static dev.parley.rendezvous.support.SourceAddress.from;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.Username;
import dev.parley.rendezvous.presence.SessionRegistry;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.TestClock;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP API: registration rules, login, generic errors and lockout. */
@QuarkusTest
class AccountApiTest {
    private static final String GENERIC = "invalid username or password";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URI base;

    @Inject
    SessionRegistry sessions;

    private static ValidatableResponse login(RestAssuredConfig config, String username, String password) {
        return given().config(config).contentType(ContentType.JSON).body(new Api.Credentials(username, password))
                .when().post(Api.LOGIN).then();
    }

    private static ValidatableResponse register(String username, String password) {
        return given().contentType(ContentType.JSON).body(new Api.Credentials(username, password))
                .when().post(Api.REGISTER).then();
    }

    @Test
    void registrationRules() {
        String name = Users.fresh("Alice");
        register(name, "long enough").statusCode(201).body("user", equalTo(name));
        register(name.toLowerCase(), "long enough").statusCode(409)
                .body("code", equalTo("unavailable"), "message", equalTo("username '" + name.toLowerCase() + "' is not available"));
        register("has space", "long enough").statusCode(400).body("code", equalTo("invalid"));
        for (String noLetter : List.of(".", "..", "-", "_.-")) {
            register(noLetter, "long enough").statusCode(400)
                    .body("code", equalTo("invalid"), "message", equalTo("username needs at least one letter or digit"));
        }
        // Names that read like an existing one at a glance are refused, whatever the letter case.
        String original = "Lily" + Users.fresh("x").replaceAll("[^0-9]", "");
        register(original, "long enough").statusCode(201);
        for (String lookalike : List.of(original.replace("l", "I"), original.replace("i", "1"),
                original.replace("L", "1"), original.toUpperCase())) {
            register(lookalike, "long enough").statusCode(409).body("code", equalTo("unavailable"));
        }
        register("x".repeat(33), "long enough").statusCode(400).body("message", equalTo("username is longer than 32 characters"));
        register("", "long enough").statusCode(400);
        register(Users.fresh("bob"), "short").statusCode(400)
                .body("message", equalTo("password must be at least 8 characters"));
        register(Users.fresh("bob"), "p".repeat(1025)).statusCode(400);
        register(Users.fresh("bob"), null).statusCode(400);
        given().contentType(ContentType.JSON).body("{\"username\":").when().post(Api.REGISTER)
                .then().statusCode(400).body("code", equalTo("malformed"), "message", startsWith("malformed JSON body"));
        given().contentType(ContentType.JSON).when().post(Api.REGISTER).then().statusCode(400);
        given().contentType(ContentType.TEXT).body("alice secret").when().post(Api.REGISTER)
                .then().statusCode(415).body("code", notNullValue());
    }

    @Test
    void bodiesAreReadStrictlyAndEveryErrorHasTheDocumentedShape() {
        String name = Users.register(Users.fresh("strict"));
        for (String body : List.of(
                "{\"username\":\"" + name + "\",\"password\":\"" + Users.PASSWORD + "\"} trailing garbage",
                "{\"username\":\"someone-else\",\"username\":\"" + name + "\",\"password\":\"" + Users.PASSWORD + "\"}",
                "{\"username\":12345,\"password\":\"" + Users.PASSWORD + "\"}",
                "[\"" + name + "\",\"" + Users.PASSWORD + "\"]",
                "\"" + name + "\"")) {
            given().contentType(ContentType.JSON).body(body).when().post(Api.LOGIN)
                    .then().statusCode(400).body("code", equalTo("malformed"), "message", startsWith("malformed JSON body"));
        }
        String huge = "{\"username\":\"" + name + "\",\"password\":\"" + "p".repeat(70_000) + "\"}";
        given().contentType(ContentType.JSON).body(huge).when().post(Api.LOGIN)
                .then().statusCode(413).body("code", equalTo("too-large"), "message", notNullValue());
        given().when().post("/api/no-such-thing").then().statusCode(404).body("code", notNullValue(), "message", notNullValue());
        given().when().get(Api.LOGIN).then().statusCode(405).body("code", notNullValue(), "message", notNullValue());
    }

    @Test
    void loginGivesATokenAndOneGenericErrorForWrongPasswordOrUnknownUser() throws IOException {
        String name = Users.register(Users.fresh("carol"));
        RestAssuredConfig any = from("127.0.0.1");
        login(any, name, Users.PASSWORD).statusCode(200).body("user", equalTo(name), "token", notNullValue());
        login(any, name.toUpperCase(), Users.PASSWORD).statusCode(200).body("user", equalTo(name));

        String wrong = login(any, name, "not the password").statusCode(401)
                .body("code", equalTo("bad-credentials"), "message", equalTo(GENERIC)).extract().asString();
        String unknown = login(any, Users.fresh("nobody"), "not the password").statusCode(401).extract().asString();
        assertEquals(wrong, unknown, "a stranger cannot tell whether an account exists");

        login(any, "bad name", "x").statusCode(400).body("code", equalTo("invalid"));
        given().contentType(ContentType.JSON).body("{\"username\":\"" + name + "\"}").when().post(Api.LOGIN)
                .then().statusCode(400);
    }

    @Test
    void lockoutHoldsAcrossSourceAddressesUntilItExpires() throws IOException {
        String name = Users.register(Users.fresh("dave"));
        login(from("127.0.0.2"), name, "wrong 1").statusCode(401);
        login(from("127.0.0.3"), name, "wrong 2").statusCode(401);
        login(from("127.0.0.4"), name, "wrong 3").statusCode(423)
                .header("Retry-After", "60")
                .body("code", equalTo("locked"), "retryAfterSeconds", equalTo(60),
                        "message", equalTo(GENERIC + "; too many failed attempts: login locked for 60 s"));

        // Even the right password, from yet another address, is refused while locked.
        login(from("127.0.0.5"), name, Users.PASSWORD).statusCode(423)
                .body("code", equalTo("locked"), "retryAfterSeconds", allOf(greaterThan(0), lessThanOrEqualTo(60)),
                        "message", startsWith("login locked after too many failed attempts: try again in "));

        clock.advance(Duration.ofSeconds(61));
        login(from("127.0.0.6"), name, Users.PASSWORD).statusCode(200);

        // A success resets the count: two more failures do not lock.
        login(from("127.0.0.2"), name, "wrong").statusCode(401);
        login(from("127.0.0.3"), name, "wrong").statusCode(401);
        login(from("127.0.0.4"), name, Users.PASSWORD).statusCode(200);
    }

    @Test
    void unknownUsernamesLockTheSameWay() throws IOException {
        String ghost = Users.fresh("ghost");
        RestAssuredConfig any = from("127.0.0.1");
        login(any, ghost, "a").statusCode(401).body("message", equalTo(GENERIC));
        login(any, ghost, "b").statusCode(401);
        login(any, ghost, "c").statusCode(423).body("message", equalTo(GENERIC + "; too many failed attempts: login locked for 60 s"));
    }

    @Test
    void logoutRevokesTheToken() {
        String name = Users.register(Users.fresh("erin"));
        String token = Users.login(name);
        given().header("Authorization", "Bearer " + token).when().post(Api.LOGOUT).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).when().post(Api.LOGOUT).then().statusCode(204);
        given().when().post(Api.LOGOUT).then().statusCode(401).body("code", equalTo("unauthenticated"));
    }

    @Test
    void parallelWrongGuessesGetNoMoreThanTheAllowanceChecked() throws Exception {
        String name = Users.register(Users.fresh("frank"));
        int guesses = 40;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < guesses; i++) {
            answers.add(HTTP.sendAsync(loginRequest(name, "wrong guess " + i, null), HttpResponse.BodyHandlers.ofString()));
        }
        int checked = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
            // A checked guess is told the password was wrong (401, or 423 for the one that locked);
            // one that was not checked is told the name is locked, or to come back in a moment.
            if (response.statusCode() == 401 || response.body().contains(GENERIC)) {
                checked++;
            } else {
                assertTrue(response.statusCode() == 423 || response.statusCode() == 503, response.body());
            }
        }
        assertTrue(checked <= 3, checked + " of " + guesses + " parallel guesses were checked; the policy allows 3");
        login(from("127.0.0.1"), name, Users.PASSWORD).statusCode(423).body("code", equalTo("locked"));
    }

    @Test
    void theOwnersKnownDeviceIsNotLockedOutBySomeoneElsesGuesses() throws Exception {
        String name = Users.register(Users.fresh("gina"));
        String device = login(from("127.0.0.1"), name, Users.PASSWORD).statusCode(200)
                .body("device", notNullValue()).extract().path("device");

        // An attacker locks the name for every client it does not know...
        for (int i = 1; i <= 3; i++) {
            login(from("127.0.0.9"), name, "guess " + i).statusCode(i < 3 ? 401 : 423);
        }
        login(from("127.0.0.1"), name, Users.PASSWORD).statusCode(423);
        // ...but the owner's node, presenting the device token it was given, still gets in.
        String next = loginWithDevice(name, Users.PASSWORD, device).statusCode(200)
                .body("token", notNullValue(), "device", notNullValue()).extract().path("device");
        assertNotEquals(device, next, "each login replaces the device token");
        loginWithDevice(name, Users.PASSWORD, device).statusCode(423); // the old one is no longer known

        // The device's own wrong passwords still count, against that device.
        loginWithDevice(name, "typo 1", next).statusCode(401);
        loginWithDevice(name, "typo 2", next).statusCode(401);
        loginWithDevice(name, "typo 3", next).statusCode(423);
        loginWithDevice(name, Users.PASSWORD, next).statusCode(423);

        // Someone else's device token is no key to this account.
        String other = Users.register(Users.fresh("hal"));
        String hers = login(from("127.0.0.1"), other, Users.PASSWORD).statusCode(200).extract().path("device");
        loginWithDevice(name, Users.PASSWORD, hers).statusCode(423);

        clock.advance(Duration.ofSeconds(61));
        login(from("127.0.0.1"), name, Users.PASSWORD).statusCode(200);
    }

    @Test
    void sessionTokensExpireAfterADayUnusedAndAWeekAtMost() throws InterruptedException {
        String name = Users.register(Users.fresh("ivy"));
        String idle = Users.login(name);
        clock.advance(Duration.ofHours(23));
        opens(name, idle); // used, and the session's end counts as use: the day starts again
        clock.advance(Duration.ofHours(23));
        opens(name, idle);
        clock.advance(Duration.ofHours(25));
        refused(name, idle);

        String used = Users.login(name);
        for (int day = 1; day < 7; day++) {
            clock.advance(Duration.ofHours(24).minusMinutes(1));
            opens(name, used);
        }
        clock.advance(Duration.ofHours(24));
        refused(name, used); // a week after its login, however much it was used
    }

    /** Opens a session with the token and closes it, waiting until the server has seen it end. */
    private void opens(String name, String token) throws InterruptedException {
        try (SessionClient session = Sessions.connect(base, name, token)) {
            session.await(ServerMessage.Welcome.class, w -> true);
        }
        long deadline = System.nanoTime() + Sessions.DEADLINE.toNanos();
        while (sessions.get(Username.key(name)).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "the server did not see the session end");
            Thread.sleep(5);
        }
    }

    private void refused(String name, String token) {
        try (SessionClient session = Sessions.connect(base, name, token)) {
            SessionClient.assertErrorCode("unauthenticated", session.await(ServerMessage.Error.class, e -> true));
        }
    }

    private static ValidatableResponse loginWithDevice(String username, String password, String device) {
        return given().contentType(ContentType.JSON).body(new Api.Credentials(username, password, device))
                .when().post(Api.LOGIN).then();
    }

    private HttpRequest loginRequest(String username, String password, String device) throws IOException {
        return HttpRequest.newBuilder(base.resolve(Api.LOGIN)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        new ObjectMapper().writeValueAsString(new Api.Credentials(username, password, device))))
                .build();
    }

    /** Checks the premise of the lockout test: the client really does connect from the address asked for. */
    @Test
    void testClientsBindTheSourceAddressTheyAskFor() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<InetAddress> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept()) {
                    return s.getInetAddress();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                given().config(from("127.0.0.7").httpClient(HttpClientConfig.httpClientConfig()
                                .setParam("http.route.local-address", InetAddress.getByName("127.0.0.7"))
                                .setParam("http.socket.timeout", 500)))
                        .baseUri("http://127.0.0.1").port(listener.getLocalPort()).get("/");
            } catch (Exception expected) { // REST Assured rethrows checked exceptions undeclared
                // The fake listener never answers; only the connection's source matters.
            }
            assertEquals(InetAddress.getByName("127.0.0.7"), seen.get(10, TimeUnit.SECONDS));
        }
    }
}
