package dev.parley.node.shell;

import dev.parley.node.ExitCode;
import dev.parley.node.Node;
import dev.parley.node.output.Event;
import dev.parley.node.output.VisibleText;
import dev.parley.node.server.Connection;
import dev.parley.node.server.ServerSession;
import dev.parley.node.server.SessionEnded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;

/**
 * A person at a terminal: a login prompt (with account creation), then a line-editing shell with
 * history and completion. {@code logout} returns to the login prompt; {@code quit}, Ctrl-D and
 * Ctrl-C log out and leave. When the server ends the session (logged in elsewhere, idle), the
 * shell stops reading commands at once and asks whether to log in again.
 */
public final class InteractiveShell {
    private static final String NEW_ACCOUNT = "/new";
    /** {@link #shell} result: the server ended the session; the user decides what next. */
    private static final int ENDED_BY_SERVER = 103;
    /** How long logging out waits for the server: it answers in well under this when it is there. */
    static final Duration LOGOUT_WAIT = Duration.ofSeconds(1);

    private final Connection connection;
    private final Node node;
    private final LineReader reader;
    private final LineReader prompts;
    private final CommandRunner runner;

    public InteractiveShell(Connection connection, Node node, Terminal terminal, LineReader reader, Path history) {
        this.connection = connection;
        this.node = node;
        this.reader = reader;
        this.prompts = questions(terminal);
        this.runner = new CommandRunner(node, request -> { });
    }

    /**
     * A reader for questions (username, password, log in again, trust a server): without history,
     * so no answer is ever recalled with the arrow keys or saved with the commands.
     */
    static LineReader questions(Terminal terminal) {
        return LineReaderBuilder.builder().terminal(terminal).variable(LineReader.DISABLE_HISTORY, true).build();
    }

    /** A reader for the shell: history in the data dir, completion from the commands. */
    public static LineReader reader(Terminal terminal, Path history) {
        if (terminal.getWidth() <= 0 || terminal.getHeight() <= 0) {
            // JLine (3.30) stops the thread that masks a password on a dumb terminal only if the
            // terminal has a size: without one, "Password:" would be printed on and on after the
            // first password.
            terminal.setSize(new Size(80, 24));
        }
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("parley")
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .build();
        return reader;
    }

    /** Has {@code printer} redraw this shell's prompt as the connection's state changes. */
    public InteractiveShell promptFollowedBy(TerminalPrinter printer) {
        printer.followPrompt(this::prompt);
        return this;
    }

    /** The session being used, and whose it is: what the prompt shows. */
    private volatile ServerSession current;
    private volatile String currentUser;

    /** The user, and the connection's state when it is not simply online: {@code alice (reconnecting)> }. */
    String prompt() {
        ServerSession session = current;
        String state = session == null ? "" : switch (session.status()) {
            case RECONNECTING -> " (reconnecting)";
            case CONNECTING -> " (connecting)";
            case ENDED -> " (logged out)";
            case ONLINE -> "";
        };
        return promptText(currentUser + state + "> ");
    }

    public CommandRunner runner() {
        return runner;
    }

    public int run(Optional<String> userOption, Optional<String> passwordOption, boolean register) {
        Optional<String> user = userOption;
        while (true) {
            Optional<Credentials> login = login(user, passwordOption, register);
            if (login.isEmpty()) {
                return ExitCode.OK; // Ctrl-D or Ctrl-C at the login prompt
            }
            Credentials c = login.get();
            ServerSession session = connection.open(node, c.user(), c.password(), c.token());
            int result = shell(session, c.user());
            if (result == ShellCommands.QUIT) {
                return ExitCode.OK;
            }
            passwordOption = Optional.empty();
            register = false;
            user = userOption;
            if (result == ENDED_BY_SERVER) {
                if (session.ended().getNow(SessionEnded.CLOSED) == SessionEnded.UNTRUSTED) {
                    return ExitCode.LOGIN_FAILED; // the server's certificate changed: nothing more to send it
                }
                if (!logInAgain(c.user())) {
                    return ExitCode.OK;
                }
                user = Optional.of(c.user());
            }
        }
    }

    /**
     * After the server ended the session (logged in elsewhere, idle, token refused): only an
     * explicit "yes" leads to a password prompt, so chat typed on meanwhile is never taken for a
     * password (each a failed login, the last one locking the account).
     */
    private boolean logInAgain(String user) {
        try {
            while (true) {
                String answer = prompts.readLine(promptText("Log in again as " + user + "? [yes/no] ")).strip();
                if (answer.equalsIgnoreCase("yes") || answer.equalsIgnoreCase("y")) {
                    return true;
                }
                if (answer.equalsIgnoreCase("no") || answer.equalsIgnoreCase("n")) {
                    return false;
                }
                node.error("you are logged out: answer yes to log in again, or no to leave");
            }
        } catch (UserInterruptException | EndOfFileException e) {
            return false;
        }
    }

    private record Credentials(String user, String password, String token) {
    }

    private Optional<Credentials> login(Optional<String> userOption, Optional<String> passwordOption, boolean register) {
        try {
            while (true) {
                String user = userOption.orElse(null);
                if (user == null) {
                    user = prompts.readLine("Username (or " + NEW_ACCOUNT + " to create an account): ").strip();
                }
                if (user.isEmpty()) {
                    continue;
                }
                boolean creating = register || user.equals(NEW_ACCOUNT);
                if (user.equals(NEW_ACCOUNT)) {
                    user = prompts.readLine("New username: ").strip();
                }
                String password = passwordOption.orElse(null);
                if (password == null) {
                    password = prompts.readLine("Password: ", '*');
                }
                if (creating) {
                    if (passwordOption.isEmpty() && !password.equals(prompts.readLine("Password again: ", '*'))) {
                        node.error("the passwords differ; try again");
                        continue;
                    }
                    String problem = connection.register(user, password);
                    if (problem != null) {
                        node.error("cannot create account: " + problem);
                        register = false;
                        continue;
                    }
                    register = false;
                }
                Connection.LoginOutcome outcome = connection.login(user, password);
                if (outcome instanceof Connection.LoginOutcome.Success s) {
                    return Optional.of(new Credentials(s.user(), password, s.token()));
                }
                node.error(((Connection.LoginOutcome.Refused) outcome).message());
                passwordOption = Optional.empty(); // ask again rather than repeat a wrong password
            }
        } catch (UserInterruptException | EndOfFileException e) {
            return Optional.empty();
        }
    }

    /** Runs commands until {@code logout}, {@code quit} or the server ending the session ({@link #ENDED_BY_SERVER}). */
    private int shell(ServerSession session, String user) {
        ReadInterrupter wake = new ReadInterrupter(Thread.currentThread());
        session.ended().thenRun(wake::sessionEnded);
        current = session;
        currentUser = user;
        while (true) {
            if (!wake.startReading()) {
                return ENDED_BY_SERVER; // the reason was printed when it happened
            }
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException | EndOfFileException e) {
                if (wake.ended()) {
                    continue; // woken because the session ended, not Ctrl-C or Ctrl-D
                }
                logout(session, true);
                return ShellCommands.QUIT;
            } finally {
                wake.stopReading();
            }
            int result = runner.run(line);
            if (result == ShellCommands.QUIT || result == ShellCommands.LOGOUT) {
                logout(session, result == ShellCommands.QUIT);
                return result;
            }
        }
    }

    /** A prompt naming the user (the server spelled it): shown, not obeyed, and no JLine prompt escape ({@code %}) either. */
    private static String promptText(String text) {
        return VisibleText.of(text).replace("%", "%%");
    }

    /**
     * Logs out, waiting at most {@link #LOGOUT_WAIT} for the server to confirm: with the server
     * unreachable the logout would wait for a reconnect, so the session is closed without it instead
     * (the server ends it by itself; the node's own state is on disk already).
     */
    private void logout(ServerSession session, boolean leaving) {
        if (session.ended().isDone()) {
            return;
        }
        node.print(Event.of("logging-out").says("logging out…"));
        try {
            node.commands().logout().get(LOGOUT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            node.print(Event.of("logout-skipped").with("reason", "unreachable").says("the server is unreachable: "
                    + (leaving ? "leaving" : "closing the session") + " without logging out (the server ends the session by itself)"));
        } catch (InterruptedException | ExecutionException e) {
            // Interrupted (Ctrl-C again) or failed: leave at once as well.
        }
        session.close();
    }
}
