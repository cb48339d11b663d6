package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.ExitCode;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests that need a server of their own: a short lockout, and a server that is stopped and
 * started again under its nodes.
 */
class NodeServerLifecycleIT {
    /** Long enough that the attempt right after locking (a new JVM) still finds the account locked. */
    static final int LOCKOUT_SECONDS = 10;
    /**
     * A node retries with exponential backoff (about 1, 2, 4, 8, 16 s, at most 30 s); with a server
     * that takes several seconds to start on a busy machine, the reconnect can take half a minute.
     */
    static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(75);

    @RegisterExtension
    static final OwnServer own = OwnServer.seeding("lou", "rita", "rob")
            .with("--lockout-attempts", "3", "--lockout-seconds", Integer.toString(LOCKOUT_SECONDS));
    @RegisterExtension
    final Nodes nodes = Nodes.on(own);

    @Test
    void wrongPasswordThenLockoutThenSuccessAfterItExpires() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            NodeProcess wrong = nodes.start("lou", "not-the-password", true);
            var error = wrong.await("error");
            assertTrue(error.field("message").contains("invalid username or password"), error.toString());
            if (attempt == 3) {
                assertTrue(error.field("message").contains("locked"), "the third failure locks: " + error);
            }
            assertEquals(ExitCode.LOGIN_FAILED, wrong.exitCode());
            assertTrue(wrong.outputs().stream().noneMatch(o -> o.is("logged-in")));
        }

        // Locked: even the right password is refused, with how long is left.
        NodeProcess locked = nodes.start("lou", Nodes.password("lou"), true);
        var refusal = locked.await("error");
        assertTrue(refusal.field("message").matches(".*locked.*try again in \\d+ s.*"), refusal.toString());
        assertEquals(ExitCode.LOGIN_FAILED, locked.exitCode());

        // Once the lock expires the right password works: retry until then, within a deadline.
        long deadline = System.nanoTime() + Duration.ofSeconds(LOCKOUT_SECONDS + 30).toNanos();
        while (true) {
            NodeProcess node = nodes.start("lou", Nodes.password("lou"), true);
            var first = node.await(o -> o.is("logged-in") || o.is("error"));
            if (first.is("logged-in")) {
                node.closeInput();
                assertEquals(ExitCode.OK, node.exitCode());
                break;
            }
            assertTrue(first.field("message").contains("locked"), "only the lock may refuse it: " + first);
            assertEquals(ExitCode.LOGIN_FAILED, node.exitCode());
            assertTrue(System.nanoTime() < deadline, "still locked long after the lockout should have expired: " + first);
        }

        // A success reset the count: one wrong password does not lock again.
        NodeProcess wrongAgain = nodes.start("lou", "not-the-password", true);
        var error = wrongAgain.await("error");
        assertTrue(!error.field("message").contains("locked"), error.toString());
        assertEquals(ExitCode.LOGIN_FAILED, wrongAgain.exitCode());
    }

    @Test
    void aNodeThatLoggedInBeforeGetsInWhileSomeoneElseLocksTheAccount() throws Exception {
        // The same data directory both times: the same device.
        Path device = own.tempDir("robs-node");
        List<String> args = List.of("--server", own.server().url(), "--trust-fingerprint", own.server().fingerprint, "--user", "rob",
                "--data-dir", device.toString(), "--json");
        NodeProcess first = nodes.run("rob", args);
        first.send(Nodes.password("rob"));
        first.await("logged-in");
        first.closeInput();
        assertEquals(ExitCode.OK, first.exitCode());

        // Someone else guesses rob's password until the account locks for every client it does not know.
        HttpClient http = HttpClient.newBuilder().sslContext(ServerProcess.pinning(own.server().fingerprint))
                .connectTimeout(Duration.ofSeconds(10)).build();
        int status = 0;
        for (int guess = 1; guess <= 3; guess++) {
            HttpRequest login = HttpRequest.newBuilder(URI.create(own.server().url() + "/api/login"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"rob\",\"password\":\"guess-" + guess + "\"}"))
                    .build();
            status = http.send(login, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
        assertEquals(423, status, "the third wrong guess locks the account");

        // A new device with the right password is locked out...
        Nodes elsewhere = new Nodes(own.server(), own.tempDir("elsewhere"));
        try {
            NodeProcess stranger = elsewhere.start("rob", Nodes.password("rob"), true);
            assertTrue(stranger.await("error").field("message").contains("locked"));
            assertEquals(ExitCode.LOGIN_FAILED, stranger.exitCode());
        } finally {
            elsewhere.close();
        }
        // ...but rob's own node, which logged in before, is not.
        NodeProcess again = nodes.run("rob", args);
        again.send(Nodes.password("rob"));
        again.await("logged-in");
        again.closeInput();
        assertEquals(ExitCode.OK, again.exitCode());
    }

    @Test
    void nodesReconnectWhenTheServerRestartsAndMessagesFlowAgain() throws Exception {
        NodeProcess rita = nodes.login("rita");
        NodeProcess rob = nodes.login("rob");
        rita.await("user-online", o -> "rob".equals(o.field("user")));

        own.server().stop();
        // The server tells its sessions why before it goes, so the nodes can say so.
        for (NodeProcess node : new NodeProcess[] {rita, rob}) {
            var lost = node.await("disconnected");
            assertEquals("server shutting down", lost.field("reason"), lost.toString());
        }
        assertTrue(own.server().transcript().stream().noneMatch(l -> l.contains("shutdown task failed")),
                "the shutdown could still record who was online: " + String.join("\n", own.server().transcript()));
        // Asked while the server is away: queued, sent once it is back.
        rita.send("message rob sent while the server was down");
        assertEquals("message rob", rita.await("queued").field("command"), "a command typed while away is acknowledged");

        own.restart();
        var back = rita.await(o -> o.is("reconnected"), RECONNECT_TIMEOUT, "'reconnected'");
        rob.await(o -> o.is("reconnected"), RECONNECT_TIMEOUT, "'reconnected'");

        // One line when the server was lost and one when it is back, however many attempts it took.
        assertEquals(1, rita.outputs().stream().filter(o -> o.is("disconnected")).count(), rita.transcript());
        var queued = rita.await("sent");
        assertEquals("rob", queued.field("to"));
        assertTrue(queued.seq() > back.seq(), "'reconnected' comes before what the queued commands got: " + rita.transcript());
        assertEquals("sent while the server was down", rob.await("message").field("text"));

        rob.send("message rita welcome back");
        var sent = rob.await("sent");
        assertEquals("relay", sent.field("via"));
        var got = rita.await("message");
        assertEquals("rob", got.field("from"));
        assertEquals("welcome back", got.field("text"));
        assertEquals("relay", got.field("via"));

        rita.closeInput();
        assertEquals(ExitCode.OK, rita.exitCode());
        rob.closeInput();
        assertEquals(ExitCode.OK, rob.exitCode());
    }
}
