package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.server.Connection;
import dev.parley.node.ExitCode;
import dev.parley.node.FakeRendezvous;
import dev.parley.node.Node;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.reader.LineReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell on a terminal the test types on, against a stand-in server: leaving says
 * what it does, and does not wait long for a server that is not there.
 */
class InteractiveShellTest {
    /** Leaving waits one second for the logout; this leaves room for a busy machine, and is far below the old ten. */
    private static final Duration LEAVES_WITHIN = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    private Vertx serverVertx;
    private Vertx nodeVertx;
    private FakeRendezvous server;
    private Connection connection;
    private final TypedTerminal terminal = newTerminal();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        serverVertx = Vertx.vertx();
        server = FakeRendezvous.start(serverVertx);
        server.welcomeAs("alice");
        nodeVertx = Vertx.vertx();
        connection = new Connection(nodeVertx, server.client(nodeVertx), server.codec());
        LineReader reader = InteractiveShell.reader(terminal.terminal(), dir.resolve("history"));
        TerminalPrinter printer = new TerminalPrinter(reader);
        Node node = new Node(printer, "http://127.0.0.1");
        InteractiveShell shell = new InteractiveShell(connection, node, terminal.terminal(), reader, dir.resolve("history"))
                .promptFollowedBy(printer);
        Thread thread = new Thread(() -> {
            try {
                exit.complete(shell.run(Optional.of("alice"), Optional.of("password"), false));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "interactive-shell");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        terminal.close();
        connection.close();
        server.close();
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static TypedTerminal newTerminal() {
        try {
            return new TypedTerminal();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Logged in, then the server goes away: the shell is left reconnecting. */
    private int loggedInThenServerGone() throws Exception {
        FakeRendezvous.Session session = server.nextSession();
        int at = terminal.await("alice> ", 0);
        server.close(); // nothing to reconnect to
        session.drop();
        return terminal.await("! lost the server", at);
    }

    private void leavesAtOnceSayingWhy(Runnable leave) throws Exception {
        int at = loggedInThenServerGone();
        long start = System.nanoTime();
        leave.run();
        at = terminal.await("logging out…", at);
        assertEquals(ExitCode.OK, exit.get(LEAVES_WITHIN.toMillis(), TimeUnit.MILLISECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(LEAVES_WITHIN) < 0, "left after " + took);
        terminal.await("the server is unreachable: leaving without logging out (the server ends the session by itself)", at);
    }

    @Test
    void theLostServerShowsInThePromptAndACommandTypedMeanwhileIsAcknowledged() throws Exception {
        int at = loggedInThenServerGone();
        at = terminal.await("alice (reconnecting)> ", at);
        terminal.type("broadcast anyone there?\n");
        terminal.await("queued: broadcast is sent when the server is back", at);
        assertEquals(1, terminal.screen().split("! lost the server", -1).length - 1,
                "one line for the loss, not one per attempt: " + terminal.screen());
    }

    @Test
    void ctrlDWhileTheServerIsUnreachableLeavesAtOnceSayingWhy() throws Exception {
        leavesAtOnceSayingWhy(terminal::close);
    }

    @Test
    void ctrlCWhileTheServerIsUnreachableLeavesAtOnceSayingWhy() throws Exception {
        leavesAtOnceSayingWhy(terminal::interrupt);
    }

    @Test
    void quitWhileTheServerIsUnreachableLeavesAtOnceSayingWhy() throws Exception {
        leavesAtOnceSayingWhy(() -> terminal.type("quit\n"));
    }

    @Test
    void withTheServerThereQuitLogsOut() throws Exception {
        server.nextSession();
        int at = terminal.await("alice> ", 0);
        terminal.type("quit\n");
        at = terminal.await("logging out…", at);
        terminal.await("logged out", at);
        assertEquals(ExitCode.OK, exit.get(LEAVES_WITHIN.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(terminal.screen().contains("unreachable"), terminal.screen());
    }

    @Test
    void withTheServerThereCtrlCLogsOut() throws Exception {
        server.nextSession();
        int at = terminal.await("alice> ", 0);
        terminal.interrupt();
        at = terminal.await("logging out…", at);
        terminal.await("logged out", at);
        assertEquals(ExitCode.OK, exit.get(LEAVES_WITHIN.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(terminal.screen().contains("unreachable"), terminal.screen());
    }
}
