package dev.parley.node.route;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;

/**
 * The server, as the router sees it: a request and its reply. The reply fails with
 * {@link NotAnswered} when the request may have reached the server but no answer came, and with
 * {@link NotSent} when it was certainly never sent.
 */
public interface ServerPath {
    CompletableFuture<ServerMessage> request(ClientMessage message);

    /** No answer came (the connection or the session ended first): the request may or may not have taken effect. */
    final class NotAnswered extends RuntimeException {
        public NotAnswered(String message) {
            super(message, null, false, false);
        }
    }

    /** The request was never sent: the session had already ended. */
    final class NotSent extends RuntimeException {
        public NotSent(String message) {
            super(message, null, false, false);
        }
    }
}
