package dev.parley.node.e2e;

import dev.parley.testsupport.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server of a test class's own, for tests that stop, kill or configure it: registered as a
 * static extension ({@code @RegisterExtension static final OwnServer own = OwnServer.seeding(…)}),
 * started before the class's tests with its users seeded (password {@link Nodes#password}) and
 * stopped after them. Nodes for it: {@link Nodes#on(OwnServer)}.
 */
final class OwnServer implements BeforeAllCallback, AfterAllCallback {
    private final List<String> users;
    private final List<String> options;
    private Path dir;
    private volatile ServerProcess server;

    private OwnServer(List<String> users, List<String> options) {
        this.users = users;
        this.options = options;
    }

    /** A server where these users exist. */
    static OwnServer seeding(String... users) {
        return new OwnServer(List.of(users), List.of());
    }

    /** The same, started with these server options too. */
    OwnServer with(String... options) {
        return new OwnServer(users, List.of(options));
    }

    /** The running server (after a {@link #restart()}, the new one). */
    ServerProcess server() {
        return server;
    }

    /** Starts the server again, on its port and data, after a test stopped or killed it. */
    ServerProcess restart() throws IOException, InterruptedException {
        server = server.restart();
        return server;
    }

    /** A fresh directory of the class's own, removed when its tests are done. */
    Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(dir, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("parley-node-e2e");
        server = start(dir, users.toArray(String[]::new), options.toArray(String[]::new));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // Only this class's server: the shared one (SharedServer) lives until the run ends.
        try {
            server.stop();
        } finally {
            delete(dir);
        }
    }

    /** Starts a server with its data under {@code dir}, these users seeded and these options. */
    static ServerProcess start(Path dir, String[] users, String... options) throws IOException, InterruptedException {
        Path credentials = Nodes.credentials(dir, users);
        String[] args = Stream.concat(Stream.of("--credentials", credentials.toString()), Arrays.stream(options))
                .toArray(String[]::new);
        return ServerProcess.start(Files.createDirectory(dir.resolve("server")), args);
    }

    /** Removes a directory tree; what is left behind is not worth failing a run for. */
    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left behind in the temp directory
        }
    }
}
