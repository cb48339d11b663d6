package dev.parley.node.e2e;

import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.SessionClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The end-to-end fixture: starts nodes against one server, each with its own data directory, and
 * stops them all at the end of a test. Registered as an extension it does so for every test of a
 * class, on the {@linkplain #onSharedServer() shared server} or on a class's {@linkplain
 * #on(OwnServer) own}:
 * <pre>{@code @RegisterExtension final Nodes nodes = Nodes.onSharedServer();}</pre>
 * Accounts seeded with {@link #credentials} have the password {@link #password}.
 */
final class Nodes implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    /** Which server a test's nodes use, found when the test starts. */
    private final Function<ExtensionContext, ServerProcess> serverFor;
    private final List<NodeProcess> started = new ArrayList<>();
    private ServerProcess server;
    private Path root;
    private boolean ownRoot;

    /** Nodes against {@code server} with their data under {@code root}; {@link #close()} stops them. */
    Nodes(ServerProcess server, Path root) {
        this.serverFor = context -> server;
        this.server = server;
        this.root = root;
    }

    private Nodes(Function<ExtensionContext, ServerProcess> serverFor) {
        this.serverFor = serverFor;
    }

    /** For each test, nodes against the server shared by the whole run. */
    static Nodes onSharedServer() {
        return new Nodes(SharedServer::start);
    }

    /** For each test, nodes against the class's own server (as it is when the test starts). */
    static Nodes on(OwnServer own) {
        return new Nodes(context -> own.server());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = serverFor.apply(context);
        root = Files.createTempDirectory("parley-nodes");
        ownRoot = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
        if (ownRoot) {
            OwnServer.delete(root);
        }
    }

    /** The server these nodes log in to. */
    ServerProcess server() {
        return server;
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

    /**
     * A seeded user played by the test itself, without a node: logged in with a session of its own,
     * so it can send what no honest node would and read what the server pushes to it.
     */
    SessionClient session(String user) {
        return SessionClient.login(server, user, password(user));
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
