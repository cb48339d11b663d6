package dev.parley.rendezvous.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.ServerMessage.PresenceEvent;
import dev.parley.rendezvous.support.Users;
import dev.parley.rendezvous.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
        try (WsClient a = WsClient.login(base, alice); Socket silent = new Socket(base.getHost(), base.getPort())) {
            // A hand-made WebSocket handshake, after which this client never reads or answers a ping.
            String request = "GET " + Api.SESSION + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + Users.login(ghost) + "\r\n\r\n";
            silent.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            silent.setSoTimeout(10_000);
            assertTrue(readHead(silent.getInputStream()).startsWith("HTTP/1.1 101"), "upgraded");

            a.await(ServerMessage.Presence.class, p -> p.user().equals(ghost) && p.event() == PresenceEvent.login);
            a.await(ServerMessage.Presence.class, p -> p.user().equals(ghost) && p.event() == PresenceEvent.logout);

            // Alice, whose client answers pings, outlived the timeout and is still listed.
            a.assertOpen();
            try (WsClient other = WsClient.login(base, Users.register(Users.fresh("carol")))) {
                String id = other.nextId();
                other.send(new ClientMessage.WhoElse(id));
                var users = other.reply(ServerMessage.Users.class, id).users();
                assertTrue(users.contains(alice) && !users.contains(ghost), users.toString());
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && head.size() < 8192) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
