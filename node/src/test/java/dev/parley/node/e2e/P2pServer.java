package dev.parley.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Like {@link SharedServer}, one default-configured server for the peer-to-peer test classes,
 * with users of their own ({@link #USERS}): consents and blocks stay on the server, so each test
 * uses its own users. A separate server from {@link SharedServer}'s, so the relay counter the
 * P2P tests check moves only with their traffic.
 */
final class P2pServer implements BeforeAllCallback {
    /** Three users per test: a, b and c; test N uses pNa, pNb, pNc. */
    static final String[] USERS = java.util.stream.IntStream.rangeClosed(1, 20)
            .boxed().flatMap(n -> java.util.stream.Stream.of("p" + n + "a", "p" + n + "b", "p" + n + "c"))
            .toArray(String[]::new);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(P2pServer.class);

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
                dir = Files.createTempDirectory("parley-p2p-e2e");
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
