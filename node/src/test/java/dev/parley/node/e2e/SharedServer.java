package dev.parley.node.e2e;

import dev.parley.testsupport.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One default-configured server for every test class that uses this extension (a server takes
 * seconds to start), stopped when the whole test run ends. Each test uses its own seeded users
 * ({@link #USERS}) so tests do not see each other's messages.
 */
final class SharedServer implements BeforeAllCallback {
    static final String[] USERS = {
        "ann", "ben", "cara", "cody", "cleo", "olga", "omar", "otto", "blair", "blake", "bess", "lena", "liam",
        "oona", "oscar", "tara", "bea", "bud", "sam", "pat", "pia", "ivy",
        // the P2P tests: test N uses pNa, pNb and pNc
        "p1a", "p1b", "p1c", "p2a", "p2b", "p2c", "p3a", "p3b", "p3c", "p4a", "p4b", "p4c", "p5a", "p5b", "p5c",
        "p6a", "p6b", "p6c", "p7a", "p7b", "p7c", "p8a", "p8b", "p8c", "p9a", "p9b", "p9c"};
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServer.class);

    private static volatile Running running;

    /** The shared server; valid in tests of classes extended with this. */
    static ServerProcess server() {
        return running.server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, k -> Running.start(),
                Running.class);
    }

    /** Closed by JUnit (an AutoCloseable in the root store) when the whole run ends. */
    private record Running(ServerProcess server, Path dir) implements AutoCloseable {
        static Running start() {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("parley-node-e2e");
                Path credentials = Nodes.credentials(dir, USERS);
                ServerProcess server = ServerProcess.start(Files.createDirectory(dir.resolve("server")),
                        "--credentials", credentials.toString());
                return new Running(server, dir);
            } catch (IOException e) {
                delete(dir);
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                delete(dir);
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            NodeProcess.killAll();
            server.stop();
            delete(dir);
        }

        private static void delete(Path dir) {
            if (dir == null) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temp directory left behind is not worth failing the run for.
            }
        }
    }
}
