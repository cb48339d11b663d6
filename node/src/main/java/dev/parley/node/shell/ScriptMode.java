package dev.parley.node.shell;

import dev.parley.node.ExitCode;
import dev.parley.node.Node;
import dev.parley.node.server.Connection;
import dev.parley.node.server.ServerSession;
import dev.parley.node.server.SessionEnded;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Standard input is not a terminal: one command a line, no prompts, one event a line out. Ends
 * when input ends, after every command has been answered, logging out cleanly. Exits with
 * {@link ExitCode#UNANSWERED} if anything stayed unconfirmed; each such command was reported by
 * an error naming it (a message by its id and recipient).
 */
public final class ScriptMode {
    /** How long to wait at the end of input for answers (the server may be reconnecting). */
    static final Duration DRAIN = Duration.ofSeconds(60);
    static final long ONLINE_WAIT_SECONDS = 30;
    /** Once the session is over, what was still waiting fails at once; this only bounds the wait for its reports. */
    static final long REPORT_SECONDS = 5;

    private final Connection connection;
    private final Node node;
    private final BoundedLineReader input;
    private final Duration drain;

    public ScriptMode(Connection connection, Node node, InputStream stdin) {
        this(connection, node, stdin, DRAIN);
    }

    ScriptMode(Connection connection, Node node, InputStream stdin, Duration drain) {
        this.connection = connection;
        this.node = node;
        this.input = new BoundedLineReader(stdin, CommandRunner.MAX_LINE_CHARS);
        this.drain = drain;
    }

    public int run(String user, Optional<String> passwordOption, boolean register) throws IOException, InterruptedException {
        if (user == null) {
            node.error("scripted mode needs --user");
            return ExitCode.USAGE;
        }
        String password;
        if (passwordOption.isPresent()) {
            password = passwordOption.get();
        } else {
            Optional<BoundedLineReader.Line> first = input.next();
            if (first.isEmpty() || first.get().overlong()) {
                node.error(first.isEmpty() ? "no password: input ended before its first line (the password)"
                        : "the first line (the password) is too long");
                return ExitCode.LOGIN_FAILED;
            }
            password = first.get().text();
        }
        if (register) {
            String problem = connection.register(user, password);
            if (problem != null) {
                node.error("cannot create account: " + problem);
                return ExitCode.LOGIN_FAILED;
            }
        }
        Connection.LoginOutcome outcome = connection.login(user, password);
        if (outcome instanceof Connection.LoginOutcome.Refused refused) {
            node.error(refused.message());
            return ExitCode.LOGIN_FAILED;
        }
        var success = (Connection.LoginOutcome.Success) outcome;
        ServerSession session = connection.open(node, success.user(), password, success.token());
        // Commands made before the welcome would be queued anyway; waiting keeps the output in order.
        try {
            CompletableFuture.anyOf(session.firstOnline(), session.ended()).get(ONLINE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Still connecting: commands queue until it is online.
        }

        RequestTracker tracker = new RequestTracker();
        CommandRunner runner = new CommandRunner(node, tracker);
        boolean quit = false;
        for (Optional<BoundedLineReader.Line> line = input.next(); line.isPresent() && !quit; line = input.next()) {
            if (line.get().overlong()) {
                node.error("line too long (" + line.get().overlongLength() + " characters): a message may have at most "
                        + dev.parley.common.protocol.Limits.MAX_TEXT_CHARS);
                continue;
            }
            int result = runner.run(line.get().text());
            if (result == ShellCommands.LOGOUT) {
                tracker.awaitAll(drain.toMillis(), TimeUnit.MILLISECONDS);
                logout(session);
            } else if (result == ShellCommands.QUIT) {
                quit = true;
            }
        }
        tracker.awaitAll(drain.toMillis(), TimeUnit.MILLISECONDS);
        SessionEnded ended = session.ended().getNow(null);
        if (ended == null) {
            ended = logout(session);
        }
        // The session is over: whatever still waited has failed with it, and is reported by its id.
        int unconfirmed = tracker.awaitAll(REPORT_SECONDS, TimeUnit.SECONDS) + tracker.unconfirmed();
        if (unconfirmed > 0) {
            node.error(unconfirmed + (unconfirmed == 1 ? " command" : " commands")
                    + " stayed unconfirmed (each named in an error above); exit status " + ExitCode.UNANSWERED);
            return ExitCode.UNANSWERED;
        }
        return ended == SessionEnded.LOGOUT || ended == SessionEnded.CLOSED ? ExitCode.OK : ExitCode.SESSION_ENDED;
    }

    private SessionEnded logout(ServerSession session) throws InterruptedException {
        if (session.ended().isDone()) {
            return session.ended().getNow(null);
        }
        try {
            return node.commands().logout().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            session.close();
            return SessionEnded.CLOSED;
        }
    }
}
