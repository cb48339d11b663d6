package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A rendezvous process with accounts for the given users, and real nodes in scripted
 * {@code --json} mode logged in to it. One work directory for all; everything is stopped (nodes
 * first) and deleted on close.
 */
final class NodeCluster implements AutoCloseable {
    static final Duration LIMIT = Duration.ofSeconds(120);

    final Rendezvous server;
    private final Path work;
    private final Path nodeJar;
    private final List<ChildProcess> nodes = new ArrayList<>();

    NodeCluster(Path serverJar, Path nodeJar, List<String> users, List<String> serverOptions)
            throws IOException, InterruptedException {
        this.nodeJar = nodeJar;
        work = Files.createTempDirectory("parley-bench");
        StringBuilder credentials = new StringBuilder();
        users.forEach(u -> credentials.append(u).append(' ').append(password(u)).append('\n'));
        try {
            Path file = Files.writeString(work.resolve("credentials"), credentials);
            server = Rendezvous.start(serverJar, work.resolve("server"), file, serverOptions);
        } catch (IOException | RuntimeException | InterruptedException e) {
            Scratch.deleteDirectory(work);
            throw e;
        }
    }

    static String password(String user) {
        return user + "-bench-pw";
    }

    /** Starts a node for {@code user} and waits until it has logged in. */
    ChildProcess node(String user) throws IOException, InterruptedException {
        ChildProcess node = ChildProcess.start(nodeJar, List.of("--server", "https://127.0.0.1:" + server.port,
                "--trust-fingerprint", server.fingerprint, "--user", user, "--json", "--p2p-host", "127.0.0.1",
                "--data-dir", work.resolve("node-" + user).toString()));
        nodes.add(node);
        node.send(password(user));
        node.await(l -> l.contains("\"event\":\"logged-in\""), LIMIT, user + " logged in");
        return node;
    }

    /** {@code a} asks for {@code b}'s address, {@code b} consents, and the direct link comes up. */
    void link(ChildProcess a, String aUser, ChildProcess b, String bUser) throws InterruptedException {
        a.send("getaddress " + bUser);
        b.await(l -> l.contains("\"event\":\"consent-request\""), LIMIT, "consent request");
        b.send("consent " + aUser);
        a.await(l -> l.contains("\"event\":\"link-up\""), LIMIT, "link up");
    }

    @Override
    public void close() throws IOException {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        server.close();
        Scratch.deleteDirectory(work);
    }
}
