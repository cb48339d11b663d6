package dev.parley.node.e2e;

import dev.parley.testsupport.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts nodes against one server, each with its own data directory, and stops them all at the
 * end of a test. Accounts seeded with {@link #credentials} have the password {@link #password}.
 */
final class Nodes implements AutoCloseable {
    private final ServerProcess server;
    private final Path root;
    private final List<NodeProcess> started = new ArrayList<>();

    Nodes(ServerProcess server, Path root) {
        this.server = server;
        this.root = root;
    }

    static String password(String user) {
        return "pw-" + user + "-secret";
    }

    /** A credentials file (the seeds' format) for these users, for the server's {@code --credentials}. */
    static Path credentials(Path dir, String... users) throws IOException {
        StringBuilder lines = new StringBuilder("# seeded by the node's end-to-end tests\n");
        for (String user : users) {
            lines.append(user).append(' ').append(password(user)).append('\n');
        }
        return Files.writeString(dir.resolve("credentials.txt"), lines, StandardCharsets.UTF_8);
    }

    /** Starts a JSON node for a seeded user and waits until it is logged in. */
    NodeProcess login(String user) {
        NodeProcess node = start(user, password(user), true);
        node.await("logged-in", o -> user.equals(o.field("user")));
        return node;
    }

    /** Starts a node for {@code user}; {@code passwordLine} (if not null) is written as the first input line. */
    NodeProcess start(String user, String passwordLine, boolean json, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server", server.url(), "--trust-fingerprint", server.fingerprint,
                "--user", user, "--data-dir", dataDir(user).toString()));
        if (json) {
            args.add("--json");
        }
        args.addAll(List.of(extra));
        NodeProcess node = run(user, args);
        if (passwordLine != null) {
            node.send(passwordLine);
        }
        return node;
    }

    /** Starts a node with exactly these arguments. */
    NodeProcess run(String name, List<String> args) {
        try {
            NodeProcess node = NodeProcess.start(name, args);
            started.add(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dataDir(String user) {
        try {
            return Files.createTempDirectory(root, "node-" + user + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // Ending input logs each node out cleanly; they exit in parallel.
        started.forEach(NodeProcess::closeInput);
        started.forEach(NodeProcess::close);
        started.clear();
    }
}
