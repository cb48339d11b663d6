package dev.parley.rendezvous.support;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.SessionClient;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sessions with the server a {@code @QuarkusTest} runs, through the kit's {@link SessionClient}.
 * Registered as an extension ({@code @RegisterExtension}), it closes after each test the sessions
 * the test opened through it.
 */
public final class Sessions implements AfterEachCallback {
    public static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<SessionClient> opened = new ArrayList<>();

    /** Opens a session with the token; the server's answer (welcome or error) is in the inbox. */
    public static SessionClient connect(URI base, String name, String token) {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + Api.SESSION);
        return SessionClient.open(HTTP, uri, name, token, DEADLINE);
    }

    /** Registers nobody: logs an existing user in and opens the session, waiting for the welcome. */
    public static SessionClient login(URI base, String username) {
        SessionClient client = connect(base, username, Users.login(username));
        client.await(ServerMessage.Welcome.class, w -> true);
        return client;
    }

    /** Sends a message from {@code from} to {@code to} and waits for its {@code sent}; returns its id. */
    public static String sendStored(SessionClient from, String to, String text) {
        String id = from.nextId();
        from.send(new ClientMessage.Send(id, to, text));
        return from.reply(ServerMessage.Sent.class, id).messageId();
    }

    /** {@link #login}, closed after the test. */
    public SessionClient online(String username) {
        return closedAfterTest(login(base(), username));
    }

    /** {@link #connect}, closed after the test. */
    public SessionClient open(String name, String token) {
        return closedAfterTest(connect(base(), name, token));
    }

    public SessionClient closedAfterTest(SessionClient client) {
        opened.add(client);
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(SessionClient::close);
        opened.clear();
    }

    /** The server {@link Users} talks to: the one Quarkus pointed REST Assured at for this test. */
    private static URI base() {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/");
    }
}
