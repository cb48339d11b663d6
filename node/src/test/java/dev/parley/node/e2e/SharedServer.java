package dev.parley.node.e2e;

import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One default-configured server for every test class that uses it (a server takes seconds to
 * start), stopped when the whole test run ends: through {@link Nodes#onSharedServer()}, or this
 * extension for a class that starts its nodes another way. Each test uses its own seeded users
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

    /** The shared server; valid once it was started for the run. */
    static ServerProcess server() {
        return running.server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    /** Starts the shared server unless the run already has it. */
    static ServerProcess start(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, k -> Running.start(),
                Running.class);
        return running.server;
    }

    /** Closed by JUnit (an AutoCloseable in the root store) when the whole run ends. */
    private record Running(ServerProcess server, Path dir) implements AutoCloseable {
        static Running start() {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("parley-node-e2e");
                return new Running(OwnServer.start(dir, USERS), dir);
            } catch (IOException e) {
                OwnServer.delete(dir);
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                OwnServer.delete(dir);
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            NodeProcess.killAll();
            server.stop();
            OwnServer.delete(dir);
        }
    }
}
