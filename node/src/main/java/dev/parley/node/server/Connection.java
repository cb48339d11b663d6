package dev.parley.node.server;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Everything a logged-in node needs from the server: the HTTP client and the live session. */
public final class Connection implements AutoCloseable {
    private final Vertx vertx;
    private final NodeClock clock;
    private final RendezvousClient client;
    private final ProtocolCodec codec;
    /** The node the last session was opened for: closed with the connection, so its record is written out. */
    private volatile SessionOwner owner;

    /** What a session reports to (the node): handed the session before it starts, closed with the connection. */
    public interface SessionOwner extends AutoCloseable {
        /** Where the session reports what happens. */
        ServerSession.Listener serverEvents();

        /** Before the session starts: anything it delivers is for {@code user}. */
        void attach(ServerSession session, String user);

        /** The program is ending: what the owner keeps is written out. */
        @Override
        void close();
    }

    public Connection(Vertx vertx, RendezvousClient client, ProtocolCodec codec) {
        this.vertx = vertx;
        this.clock = NodeClock.of(vertx);
        this.client = client;
        this.codec = codec;
    }

    public RendezvousClient client() {
        return client;
    }

    /** Logs in over HTTP; the outcome's message is what to tell the user. */
    public sealed interface LoginOutcome {
        record Success(String user, String token) implements LoginOutcome {
        }

        record Refused(String message, boolean locked) implements LoginOutcome {
        }
    }

    /** A busy server ({@code retry-later}) is asked again this many times, as long as it says to wait, at most this long. */
    static final int BUSY_RETRIES = 5;
    static final long MAX_BUSY_WAIT_SECONDS = 10;

    public LoginOutcome login(String user, String password) {
        for (int attempt = 0; ; attempt++) {
            try {
                var result = client.login(user, password).get(30, TimeUnit.SECONDS);
                return new LoginOutcome.Success(result.user(), result.token());
            } catch (ExecutionException | CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof ApiException api && api.code() == ErrorCode.RETRY_LATER && attempt < BUSY_RETRIES) {
                    // The server is too busy to check a password this instant: nothing was checked, so asking
                    // again after the wait it names costs no attempt against the lockout.
                    if (!pause(api.error().retryAfterSeconds())) {
                        return new LoginOutcome.Refused("interrupted", false);
                    }
                    continue;
                }
                if (cause instanceof ApiException api) {
                    return new LoginOutcome.Refused(api.getMessage(), api.status() == 423);
                }
                return new LoginOutcome.Refused(unreachable(cause), false);
            } catch (TimeoutException e) {
                return new LoginOutcome.Refused("the server did not answer in time", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new LoginOutcome.Refused("interrupted", false);
            }
        }
    }

    private static boolean pause(Long seconds) {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(1, Math.min(MAX_BUSY_WAIT_SECONDS, seconds == null ? 1 : seconds))));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Creates an account; returns the error to show, or null on success. */
    public String register(String user, String password) {
        try {
            client.register(user, password).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause instanceof ApiException api ? api.getMessage() : unreachable(cause);
        } catch (TimeoutException e) {
            return "the server did not answer in time";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Opens the live session for a logged-in user. When the server later refuses the token (it
     * expired, or was revoked) the session logs in again with the same password.
     */
    public ServerSession open(SessionOwner node, String user, String password, String token) {
        ServerSession session = new ServerSession(vertx, clock, client, codec, node.serverEvents(), () -> client.login(user, password)
                .thenApply(result -> result.token()));
        node.attach(session, user);
        this.owner = node;
        session.start(token);
        return session;
    }

    /** Why the server could not be reached; with the scheme to use instead when that was the problem. */
    private String unreachable(Throwable cause) {
        return SchemeMismatch.hint(client.server(), cause).orElse("cannot reach the server: " + describe(cause));
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        SessionOwner n = owner;
        if (n != null) {
            n.close(); // while the event loop still runs: what it printed last is recorded
        }
        client.close();
        vertx.close();
    }
}
