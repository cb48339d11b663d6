package dev.parley.rendezvous.metrics;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operator scrapes from /q/metrics on the management interface (never the public port),
 * and the health check on the public port.
 */
@QuarkusTest
class MetricsTest {
    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URI metrics;

    private double metric(String series) {
        String body = when().get(metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(body);
        assertTrue(m.find(), series + " missing from /q/metrics");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countsLoginsMessagesAndUsersOnline() {
        String alice = Users.register(Users.fresh("alice"));
        String bob = Users.register(Users.fresh("bob"));
        double logins = metric("parley_logins_total{result=\"success\"}");
        double failures = metric("parley_logins_total{result=\"bad-credentials\"}");
        double relayed = metric("parley_messages_total{via=\"relay\"}");
        double stored = metric("parley_messages_total{via=\"offline\"}");

        given().contentType(ContentType.JSON).body(new Api.Credentials(alice, "wrong password")).post(Api.LOGIN);
        try (SessionClient a = Sessions.login(base, alice); SessionClient b = Sessions.login(base, bob)) {
            assertTrue(metric("parley_users_online") >= 2);
            String id = a.nextId();
            a.send(new ClientMessage.Send(id, bob, "counted"));
            a.reply(ServerMessage.Sent.class, id);
            String id2 = a.nextId();
            a.send(new ClientMessage.Send(id2, Users.register(Users.fresh("carol")), "stored"));
            a.reply(ServerMessage.Sent.class, id2);
        }
        assertEquals(logins + 2, metric("parley_logins_total{result=\"success\"}"));
        assertEquals(failures + 1, metric("parley_logins_total{result=\"bad-credentials\"}"));
        assertEquals(relayed + 1, metric("parley_messages_total{via=\"relay\"}"));
        assertEquals(stored + 1, metric("parley_messages_total{via=\"offline\"}"));
    }

    @Test
    void metricsAreNotServedOnThePublicPort() {
        when().get("/q/metrics").then().statusCode(404);
        assertTrue(metrics.getPort() != base.getPort(), metrics + " is another port than " + base);
    }

    @Test
    void healthReportsTheDatabase() {
        when().get("/q/health").then().statusCode(200).body(containsString("\"embedded\": \"UP\""));
    }
}
