package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.ExitCode;
import dev.parley.node.launch.NodeMain;
import dev.parley.node.shell.TypedTerminal;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell, run in this JVM on a JLine dumb terminal the test types on, against the
 * shared server (or a server of its own, to kill): what a person sees when the server ends their
 * session or goes away, and what of it stays in the command history.
 */
@ExtendWith(SharedServer.class)
class InteractiveShellIT {
    /** Leaving waits a second for the logout: room for a busy machine, far below the ten it once waited. */
    private static final Duration LEAVES_WITHIN = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    Nodes nodes;
    TypedTerminal terminal;
    CompletableFuture<Integer> exit;
    Path dataDir;
    final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    @BeforeEach
    void nodes() {
        nodes = new Nodes(SharedServer.server(), dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (terminal != null) {
            terminal.close(); // Ctrl-D: the shell logs out and returns
            exit.get(TypedTerminal.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        nodes.close();
    }

    /**
     * Starts {@code NodeMain} for {@code user} on the test's terminal, with the server's certificate
     * given ({@code --trust-fingerprint}) or, if not {@code pinned}, to be confirmed at the prompt.
     */
    private void startShell(String user, boolean pinned) throws Exception {
        startShell(SharedServer.server(), user, pinned);
    }

    private void startShell(ServerProcess server, String user, boolean pinned) throws Exception {
        terminal = new TypedTerminal();
        dataDir = nodes.dataDir(user);
        List<String> args = new ArrayList<>(List.of("--server", server.url(),
                "--user", user, "--data-dir", dataDir.toString(), "--p2p-host", "127.0.0.1"));
        if (pinned) {
            args.addAll(List.of("--trust-fingerprint", server.fingerprint));
        }
        exit = new CompletableFuture<>();
        Thread shell = new Thread(() -> {
            try {
                exit.complete(NodeMain.run(args.toArray(String[]::new), InputStream.nullInputStream(),
                        new PrintStream(OutputStream.nullOutputStream()), new PrintStream(errors, true, StandardCharsets.UTF_8),
                        Optional.of(terminal::terminal)));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "interactive-shell-" + user);
        shell.setDaemon(true);
        shell.start();
    }

    @Test
    void afterATakeoverTheShellAsksAtOnceAndNeverTakesChatForAPassword() throws Exception {
        startShell("p1c", true);
        int at = terminal.await("Password: ", 0);
        terminal.type(Nodes.password("p1c") + "\n");
        at = terminal.await("logged in to " + SharedServer.server().url() + " as p1c", at);

        NodeProcess elsewhere = nodes.login("p1c"); // the same account logs in somewhere else
        int takeover = terminal.await("logged out: logged in elsewhere", at);
        // Asked at once, with nothing typed: the shell no longer waits for a command.
        at = terminal.await("Log in again as p1c? [yes/no] ", takeover);

        terminal.type("hello bob, did you get my file?\n");
        at = terminal.await("answer yes to log in again, or no to leave", at);
        assertFalse(terminal.screen().substring(takeover).contains("Password"),
                "a password prompt appeared without a yes:\n" + terminal.screen().substring(takeover));
        elsewhere.assertNone(o -> o.is("logged-out"), "a takeover back, or anything else ending its session");

        terminal.type("yes\n");
        at = terminal.await("Password: ", at);
        terminal.type(Nodes.password("p1c") + "\n");
        terminal.await("logged in to " + SharedServer.server().url() + " as p1c", at);
        elsewhere.await("logged-out", o -> "takeover".equals(o.field("reason")));

        terminal.type("quit\n");
        assertEquals(ExitCode.OK, exit.get(TypedTerminal.TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                errors.toString(StandardCharsets.UTF_8));
        String history = history();
        assertFalse(history.contains("yes") || history.contains("hello bob"), "answers in the history:\n" + history);
    }

    @Test
    void theAnswerToTheTrustQuestionStaysOutOfTheHistory() throws Exception {
        startShell("p9c", false);
        int at = terminal.await("Trust it and remember it? [yes/no] ", 0);
        terminal.type("yes\n");
        at = terminal.await("Password: ", at);
        terminal.type(Nodes.password("p9c") + "\n");
        terminal.await("logged in to " + SharedServer.server().url() + " as p9c", at);

        terminal.type("quit\n");
        assertEquals(ExitCode.OK, exit.get(TypedTerminal.TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                errors.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(dataDir.resolve("known_servers"), StandardCharsets.UTF_8)
                .contains(SharedServer.server().fingerprint), "the certificate was remembered");
        String history = history();
        assertTrue(history.contains("quit"), history);
        assertFalse(history.contains("yes"), "the answer in the history:\n" + history);
    }

    @Test
    void ctrlDWithTheServerGoneLeavesAtOnceSayingSo() throws Exception {
        Path credentials = Nodes.credentials(Files.createDirectory(dir.resolve("own")), "solo");
        ServerProcess own = ServerProcess.start(Files.createDirectory(dir.resolve("server")), "--credentials", credentials.toString());
        try {
            startShell(own, "solo", true);
            int at = terminal.await("Password: ", 0);
            terminal.type(Nodes.password("solo") + "\n");
            at = terminal.await("logged in to " + own.url() + " as solo", at);
            own.kill();
            at = terminal.await("! lost the server", at);

            long start = System.nanoTime();
            terminal.close(); // Ctrl-D
            at = terminal.await("logging out…", at);
            assertEquals(ExitCode.OK, exit.get(LEAVES_WITHIN.toMillis(), TimeUnit.MILLISECONDS),
                    errors.toString(StandardCharsets.UTF_8));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(LEAVES_WITHIN) < 0, "left after " + took);
            terminal.await("the server is unreachable: leaving without logging out (the server ends the session by itself)", at);
        } finally {
            own.stop();
        }
    }

    /** The shell's history file, as saved when it ended. */
    private String history() throws Exception {
        Path file = dataDir.resolve("history");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
