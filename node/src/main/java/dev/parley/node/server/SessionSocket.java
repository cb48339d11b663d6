package dev.parley.node.server;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * The session's connection to the server as the session uses it: text frames each way, and its
 * end. A WebSocket in production ({@link WebSocketSessionSocket}); a stand-in in unit tests. Its
 * handlers are called on the session's context.
 */
public interface SessionSocket {
    /** Where the server's text frames go. */
    void onText(Consumer<String> frames);

    /** Called when the server pings (a WebSocket ping, which the transport answers itself): it is there. */
    void onPing(Runnable pinged);

    /** Called once when the connection has closed, for whatever reason. */
    void onClose(Runnable closed);

    /** Completes when the frame is written; fails if the connection is failing. */
    Future<Void> write(String frame);

    /** Closes normally. */
    void close();

    /** Closes with a status and reason, e.g. when the server stopped answering. */
    void close(short status, String reason);

    /** Opens the session's connection with a token (the server's WebSocket in production). */
    @FunctionalInterface
    interface Dialer {
        /** Completes on the session's context when the connection is open, or fails. */
        Future<SessionSocket> open(String token);
    }
}
