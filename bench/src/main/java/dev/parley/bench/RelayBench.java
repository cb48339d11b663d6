package dev.parley.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Parley side of figure 2: a real server process and three real nodes. alice and bob have a
 * direct link (figure 1's path); carol has none, so her messages to bob go through the server.
 * Two more accounts are for the wire-level load generator. Password hashing is made cheap: logins
 * are not what this figure measures.
 */
final class RelayBench implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final List<String> USERS = List.of("alice", "bob", "carol", "sender", "receiver");

    private final Path work;
    private final List<ChildProcess> processes = new ArrayList<>();
    private final int port;
    private final String fingerprint;
    private ChildProcess alice;
    private ChildProcess bob;
    private ChildProcess carol;

    RelayBench(Path serverJar, Path nodeJar) throws Exception {
        work = Files.createTempDirectory("parley-bench-relay");
        try {
            StringBuilder credentials = new StringBuilder();
            USERS.forEach(u -> credentials.append(u).append(' ').append(password(u)).append('\n'));
            Path file = Files.writeString(work.resolve("credentials"), credentials);
            port = freePort();
            ChildProcess server = started(ChildProcess.start(serverJar, List.of("--port", Integer.toString(port),
                    "--host", "127.0.0.1", "--data", work.resolve("server").toString(), "--credentials", file.toString(),
                    "--hash-memory", "1024", "--hash-iterations", "1")));
            fingerprint = server.await(l -> l.startsWith("TLS certificate fingerprint: "), LIMIT, "fingerprint")
                    .substring("TLS certificate fingerprint: ".length()).strip();
            server.await(l -> l.contains("Listening on"), LIMIT, "server ready");
            alice = node(nodeJar, "alice");
            bob = node(nodeJar, "bob");
            carol = node(nodeJar, "carol");
            alice.send("getaddress bob");
            bob.await(l -> l.contains("\"event\":\"consent-request\""), LIMIT, "consent request");
            bob.send("consent alice");
            alice.await(l -> l.contains("\"event\":\"link-up\""), LIMIT, "link up");
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private static String password(String user) {
        return user + "-bench-pw";
    }

    private ChildProcess started(ChildProcess process) {
        processes.add(process);
        return process;
    }

    private ChildProcess node(Path jar, String user) throws IOException, InterruptedException {
        ChildProcess node = started(ChildProcess.start(jar, List.of("--server", "https://127.0.0.1:" + port,
                "--trust-fingerprint", fingerprint, "--user", user, "--json", "--p2p-host", "127.0.0.1",
                "--data-dir", work.resolve("node-" + user).toString())));
        node.send(password(user));
        node.await(l -> l.contains("\"event\":\"logged-in\""), LIMIT, user + " logged in");
        return node;
    }

    /** Figure 1's path, measured by figure 2's load generator. */
    RelayPair nodeDirect() {
        return new NodePair("node-direct", alice, bob, "bob", true);
    }

    /** Node to node through the server. */
    RelayPair nodeRelay() {
        return new NodePair("node-relay", carol, bob, "bob", false);
    }

    /** The server alone, driven at the protocol level: no node in between. */
    RelayPair wire() throws Exception {
        return ParleyRelayPair.open(port, "sender", password("sender"), "receiver", password("receiver"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Nodes first, then the server; the work directory last. */
    @Override
    public void close() throws IOException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        try (var files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
