package dev.parley.rendezvous.launch;

import static dev.parley.rendezvous.launch.ApiCalls.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.storage.PostgresTestDatabase;
import dev.parley.testsupport.LeftoverProcesses;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.SessionClient;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever the server confirmed is on disk before the confirmation leaves: the packaged server is
 * killed with SIGKILL the moment the last confirmation arrives, started again on the same data,
 * and what it confirmed must all be there (a consent included). On the embedded H2 and on PostgreSQL
 * (when configured).
 */
@ExtendWith(LeftoverProcesses.class)
class CrashDurabilityIT {
    private static final int BURST = 300;
    private static final int LIVE_BURST = 2000;

    @TempDir
    Path tmp;

    private final List<String> schemas = new ArrayList<>();

    /**
     * Three confirmations, each followed at once by a SIGKILL and a restart on the same data: a
     * block, a login that replaced the session token, a burst of messages stored for an offline user.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void whatWasConfirmedBeforeAKillHoldsAfterIt(String database) throws Exception {
        String[] options = options(database);
        Path data = tmp.resolve("data");

        ServerProcess server = ServerProcess.start(data, options);
        try (SessionClient alice = session(server, "alice")) {
            alice.sendJson(Map.of("type", "block", "id", "b", "user", "eve"));
            JsonNode ok = alice.nextOfType("ok");
            assertEquals("b", ok.path("re").asText(), ok.toString());
            server.kill(); // at once: the confirmation has just arrived
        }

        server = ServerProcess.start(data, options);
        try (SessionClient eve = session(server, "eve")) {
            eve.sendJson(Map.of("type", "send", "id", "e", "to", "alice", "text", "let me in"));
            List<JsonNode> frames = eve.until(f -> "e".equals(f.path("re").asText()));
            JsonNode answer = frames.get(frames.size() - 1);
            assertEquals("error", answer.path("type").asText(), "the block holds: " + answer);
            assertEquals("blocked", answer.path("code").asText(), answer.toString());
        }
        HttpClient http = server.client();
        String first = login(http, server, "alice", "alice-secret");
        String second = login(http, server, "alice", "alice-secret");
        server.kill(); // the second login's answer has just arrived

        server = ServerProcess.start(data, options);
        http = server.client();
        try (SessionClient stale = SessionClient.open(server, "first", first)) {
            JsonNode refused = stale.next();
            assertEquals("error", refused.path("type").asText(), "the replaced token stays revoked: " + refused);
            assertEquals("unauthenticated", refused.path("code").asText(), refused.toString());
        }
        Set<String> confirmed = new LinkedHashSet<>();
        try (SessionClient alice = SessionClient.open(server, "second", second)) {
            alice.nextOfType("welcome");
            for (int i = 0; i < BURST; i++) {
                alice.sendJson(Map.of("type", "send", "id", "s" + i, "to", "bob", "text", "confirmed " + i));
            }
            while (confirmed.size() < BURST) {
                JsonNode sent = alice.nextOfType("sent");
                assertEquals("offline", sent.path("via").asText(), sent.toString());
                confirmed.add(sent.path("messageId").asText());
            }
            server.kill();
        }

        try (ServerProcess again = ServerProcess.start(data, options); SessionClient bob = session(again, "bob")) {
            Set<String> delivered = new LinkedHashSet<>();
            drain(bob, delivered);
            assertEquals(new ArrayList<>(confirmed), new ArrayList<>(delivered),
                    "every confirmed message, once, in the order sent");
        }
    }

    /**
     * The live path: messages go to an online recipient from memory at once and are written in
     * groups; {@code sent} waits for the group's commit. The server is killed while a burst is half
     * confirmed, with the recipient reading and acknowledging as fast as it can. Every message
     * confirmed as sent must reach the recipient, before the kill or after the restart; after it,
     * nothing comes twice and everything comes in the order sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aKillMidLiveBurstLosesNothingConfirmed(String database) throws Exception {
        String[] options = options(database);
        Path data = tmp.resolve("data");
        Set<String> confirmed = new LinkedHashSet<>();
        Set<String> before = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
        ServerProcess server = ServerProcess.start(data, options);
        try (SessionClient alice = session(server, "alice"); SessionClient bob = session(server, "bob")) {
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        JsonNode frame = bob.next();
                        if ("message".equals(frame.path("type").asText())) {
                            before.add(frame.path("messageId").asText());
                            bob.sendJson(Map.of("type", "ack", "messageId", frame.path("messageId").asText()));
                        }
                    }
                } catch (AssertionError closed) {
                    // the kill: what was read so far counts
                }
            }, "bob-reader");
            reader.start();
            for (int i = 0; i < LIVE_BURST; i++) {
                alice.sendJson(Map.of("type", "send", "id", "s" + i, "to", "bob", "text", "live " + i,
                        "messageId", "live-" + i));
            }
            while (confirmed.size() < LIVE_BURST / 2) {
                JsonNode frame = alice.next();
                if ("sent".equals(frame.path("type").asText())) {
                    confirmed.add(frame.path("messageId").asText());
                }
            }
            server.kill(); // half confirmed, the rest in flight
            reader.join(SessionClient.PROCESS_WAIT.toMillis() * 3);
            assertFalse(reader.isAlive(), "bob's session ends with the server");
        }

        try (ServerProcess again = ServerProcess.start(data, options); SessionClient bob = session(again, "bob")) {
            Set<String> after = new LinkedHashSet<>();
            List<String> afterInOrder = new ArrayList<>();
            for (int round = 0; ; round++) {
                String pong = "drain-" + round;
                bob.sendJson(Map.of("type", "ping", "id", pong));
                List<String> ids = bob.until(f -> pong.equals(f.path("re").asText())).stream()
                        .filter(SessionClient.type("message")).map(m -> m.path("messageId").asText()).toList();
                if (ids.isEmpty()) {
                    break;
                }
                afterInOrder.addAll(ids);
                after.addAll(ids);
                ids.forEach(id -> bob.sendJson(Map.of("type", "ack", "messageId", id)));
            }
            assertEquals(afterInOrder.size(), after.size(), "nothing twice after the restart: " + afterInOrder);
            List<Integer> numbers = afterInOrder.stream().map(id -> Integer.parseInt(id.substring("live-".length()))).toList();
            assertEquals(numbers.stream().sorted().toList(), numbers, "in the order sent");
            Set<String> lost = new LinkedHashSet<>(confirmed);
            lost.removeAll(before);
            lost.removeAll(after);
            assertEquals(Set.of(), lost, "confirmed as sent, never delivered (" + confirmed.size() + " confirmed, "
                    + before.size() + " read before the kill, " + after.size() + " after)");
        }
    }

    /**
     * A consent, then a SIGKILL as soon as the consenting side has its answer: after a restart on
     * the same data the two are still contacts, and the one that comes online second dials.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aConsentConfirmedBeforeAKillStandsAfterIt(String database) throws Exception {
        String[] options = options(database);
        Path data = tmp.resolve("data");
        String aliceKey = newIdentityKey();
        String bobKey = newIdentityKey();

        ServerProcess server = ServerProcess.start(data, options);
        try (SessionClient alice = session(server, "alice"); SessionClient bob = session(server, "bob")) {
            announce(alice, aliceKey, 40101);
            announce(bob, bobKey, 40102);
            alice.send(new ClientMessage.GetAddress("g", "bob"));
            alice.reply(ServerMessage.Ok.class, "g");
            bob.await(ServerMessage.ConsentRequest.class, r -> r.from().equals("alice"));
            bob.send(new ClientMessage.Consent("c", "alice"));
            bob.reply(ServerMessage.Ok.class, "c");
            server.kill(); // at once: the consent has just been confirmed
        }

        try (ServerProcess again = ServerProcess.start(data, options); SessionClient alice = session(again, "alice")) {
            announce(alice, aliceKey, 40101);
            try (SessionClient bob = session(again, "bob")) {
                announce(bob, bobKey, 40102);
                ServerMessage.Introduction toBob = bob.await(ServerMessage.Introduction.class, i -> i.user().equals("alice"));
                assertTrue(toBob.dial(), "bob came online second: he dials");
                assertEquals(aliceKey, toBob.identityKey());
                assertFalse(toBob.keyChanged());
                ServerMessage.Introduction toAlice = alice.await(ServerMessage.Introduction.class, i -> i.user().equals("bob"));
                assertFalse(toAlice.dial());
                assertEquals(bobKey, toAlice.identityKey());
            }
        }
    }

    private static void announce(SessionClient session, String identityKey, int p2pPort) {
        session.send(new ClientMessage.Announce("a", identityKey, p2pPort, List.of(), false));
        session.reply(ServerMessage.Ok.class, "a");
    }

    private static String newIdentityKey() throws Exception {
        return IdentityKeys.encode(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
    }

    private static SessionClient session(ServerProcess server, String user) throws Exception {
        HttpClient http = server.client();
        SessionClient session = SessionClient.open(server, user, login(http, server, user, user + "-secret"));
        session.nextOfType("welcome");
        return session;
    }

    /**
     * Takes every message the server has for the session, acknowledging each. Frames are handled in
     * order, so a pong answered with no message before it means nothing more is coming.
     */
    static void drain(SessionClient session, Set<String> delivered) throws InterruptedException {
        for (int round = 0; ; round++) {
            session.sendJson(Map.of("type", "ping", "id", "drain-" + round));
            String pong = "drain-" + round;
            List<JsonNode> frames = session.until(f -> pong.equals(f.path("re").asText()));
            List<String> ids = frames.stream().filter(SessionClient.type("message"))
                    .map(m -> m.path("messageId").asText()).toList();
            if (ids.isEmpty()) {
                return;
            }
            delivered.addAll(ids);
            ids.forEach(id -> session.sendJson(Map.of("type", "ack", "messageId", id)));
        }
    }

    /** Server options: seeded accounts (cheap hashes), on H2 or in a fresh PostgreSQL schema. */
    private String[] options(String database) throws Exception {
        Path credentials = Files.writeString(tmp.resolve("credentials.txt"),
                "alice alice-secret\nbob bob-secret\neve eve-secret\n");
        List<String> options = new ArrayList<>(List.of("--credentials", credentials.toString(),
                "--hash-memory", "1024", "--hash-iterations", "1"));
        if (database.equals("postgresql")) {
            String url = PostgresTestDatabase.requireUrl();
            String schema = PostgresTestDatabase.createUniqueSchema("parley_crash");
            schemas.add(schema);
            options.addAll(List.of("--db-url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    "--db-user", PostgresTestDatabase.user()));
        }
        return options.toArray(String[]::new);
    }

    @AfterEach
    void dropSchemas() {
        schemas.forEach(PostgresTestDatabase::dropSchema);
    }
}
