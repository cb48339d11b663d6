package dev.parley.rendezvous.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.protocol.Api;
import dev.parley.rendezvous.support.TestClock;
import dev.parley.rendezvous.support.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP API: registration rules, login, generic errors and lockout. */
@QuarkusTest
class AccountApiTest {
    private static final String GENERIC = "invalid username or password";

    @Inject
    TestClock clock;

    /** REST Assured whose connections leave from the given loopback address. */
    private static RestAssuredConfig from(String source) throws IOException {
        return RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.route.local-address", InetAddress.getByName(source)));
    }

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
