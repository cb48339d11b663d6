package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two real nodes with a direct link, driven through their scripted {@code --json} interface: a
 * message counts when the sender's node has the peer's receipt ({@code sent} via direct), i.e.
 * acknowledged end to end. Also times start-up of the server and of a node.
 */
final class DirectLinkBench implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private final Path work;
    private final Rendezvous server;
    final double serverStartMillis;
    final double nodeStartMillis;
    private final ChildProcess alice;
    private final ChildProcess bob;

    DirectLinkBench(Path serverJar, Path nodeJar) throws IOException, InterruptedException {
        work = Files.createTempDirectory("parley-bench");
        Path credentials = Files.writeString(work.resolve("credentials"), "alice alice-bench-pw\nbob bob-bench-pw\ncarol carol-bench-pw\n");
        server = Rendezvous.start(serverJar, work.resolve("server"), credentials, List.of());
        serverStartMillis = server.startMillis;
        alice = node(nodeJar, server.port, server.fingerprint, "alice");
        nodeStartMillis = (System.nanoTime() - alice.startedNanos) / 1e6;
        bob = node(nodeJar, server.port, server.fingerprint, "bob");
        alice.send("getaddress bob");
        bob.await(l -> l.contains("\"event\":\"consent-request\""), LIMIT, "consent request");
        bob.send("consent alice");
        alice.await(l -> l.contains("\"event\":\"link-up\""), LIMIT, "link up");
    }

    private ChildProcess node(Path jar, int port, String fingerprint, String user) throws IOException, InterruptedException {
        ChildProcess node = ChildProcess.start(jar, List.of("--server", "https://127.0.0.1:" + port,
                "--trust-fingerprint", fingerprint, "--user", user, "--json", "--p2p-host", "127.0.0.1",
                "--data-dir", work.resolve("node-" + user).toString()));
        node.send(user + "-bench-pw");
        node.await(l -> l.contains("\"event\":\"logged-in\""), LIMIT, user + " logged in");
        return node;
    }

    Measurement measure(int payload, int messages) throws InterruptedException {
        String text = "x".repeat(payload);
        List<Double> rtts = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            long t0 = System.nanoTime();
            alice.send("message bob " + text);
            sentDirect();
            rtts.add((System.nanoTime() - t0) / 1000.0);
        }
        long t0 = System.nanoTime();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            burst.append("message bob ").append(text).append('\n');
        }
        alice.send(burst.substring(0, burst.length() - 1));
        for (int i = 0; i < messages; i++) {
            sentDirect();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Measurement(messages / seconds, Stats.percentile(rtts, 50), Stats.percentile(rtts, 99));
    }

    /** Logins per second over HTTPS with {@code clients} concurrent clients (a user no node is using). */
    double loginsPerSecond(int logins, int clients) throws Exception {
        return LoginLoad.run(server.port, "carol", "carol-bench-pw", logins, clients);
    }

    private void sentDirect() throws InterruptedException {
        String line = alice.await(l -> l.contains("\"event\":\"sent\"") || l.contains("\"event\":\"error\""), LIMIT, "sent");
        if (!line.contains("\"via\":\"direct\"")) {
            throw new IllegalStateException("a benchmark message did not go direct: " + line);
        }
    }

    @Override
    public void close() throws IOException {
        alice.close();
        bob.close();
        server.close();
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
