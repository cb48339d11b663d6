package dev.parley.rendezvous.account;

import static dev.parley.rendezvous.support.SourceAddress.from;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Api;
import dev.parley.rendezvous.support.TestClock;
import dev.parley.rendezvous.support.Users;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/observed-address}: only for a valid session token, limited per user, and it
 * answers with the source address and port of the very connection that asked.
 */
@QuarkusTest
@TestProfile(ObservedAddressTest.ThreeAMinute.class)
class ObservedAddressTest {
    /** Only this limit is tight: the users these tests make do not spend another test's registrations. */
    public static class ThreeAMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.rate-limit.observed-address-per-user", "3/60s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    TestClock clock;

    @Test
    void withoutAValidTokenTheAnswerIs401() {
        given().when().get(Api.OBSERVED_ADDRESS).then().statusCode(401).body("code", equalTo("unauthenticated"));
        given().header("Authorization", "Bearer not-a-token").when().get(Api.OBSERVED_ADDRESS)
                .then().statusCode(401).body("code", equalTo("unauthenticated"));
        given().header("Authorization", "Basic YWxpY2U6c2VjcmV0").when().get(Api.OBSERVED_ADDRESS)
                .then().statusCode(401);
    }

    @Test
    void theAnswerIsTheAddressAndPortTheRequestCameFrom() throws Exception {
        String token = Users.login(Users.register(Users.fresh("obs")));
        given().config(from("127.0.2.9")).header("Authorization", "Bearer " + token).when().get(Api.OBSERVED_ADDRESS)
                .then().statusCode(200).body("address", equalTo("127.0.2.9"), "port", notNullValue());

        // From a socket whose port we know: the server reports exactly that port.
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.2.10"), 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + Api.OBSERVED_ADDRESS + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readAll(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.endsWith("{\"address\":\"127.0.2.10\",\"port\":" + socket.getLocalPort() + "}"), response);
        }
    }

    @Test
    void pastTheRatePerUserTheAnswerIs429UntilTheBucketRefills() {
        String token = Users.login(Users.register(Users.fresh("obsr")));
        String other = Users.login(Users.register(Users.fresh("obso")));
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + token).when().get(Api.OBSERVED_ADDRESS).then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + token).when().get(Api.OBSERVED_ADDRESS).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("rate-limited"), "retryAfterSeconds", notNullValue());
        given().config(from("127.0.2.11")).header("Authorization", "Bearer " + token).when().get(Api.OBSERVED_ADDRESS)
                .then().statusCode(429); // per user, not per address
        given().header("Authorization", "Bearer " + other).when().get(Api.OBSERVED_ADDRESS).then().statusCode(200);

        clock.advance(Duration.ofSeconds(60));
        given().header("Authorization", "Bearer " + token).when().get(Api.OBSERVED_ADDRESS).then().statusCode(200);
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        in.transferTo(body);
        assertEquals(-1, in.read());
        return body.toString(StandardCharsets.UTF_8);
    }
}
