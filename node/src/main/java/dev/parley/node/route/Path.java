package dev.parley.node.route;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One way to get a message to a peer. The direct link and the server's relay are two of them, of
 * one shape: whoever sends does not care which carries the message (as jvm-libp2p's relay is just
 * another transport). Which path a message takes is {@link RoutingPolicy}'s decision.
 */
public interface Path {
    /** "direct" or "server": for logs and tests. */
    String name();

    /** Whether this path can take a message to {@code peer} now. */
    boolean reaches(String peer);

    /**
     * Takes the message; the future completes once the peer (direct) or the server (relay) has
     * it, or fails with {@link MessageFailed}. A path that cannot take the message at all fails
     * the future at once, with {@link MessageFailed.Outcome#NOT_SENT}: another path may then be tried.
     */
    CompletableFuture<MessageRouter.Outcome> send(Outgoing message);

    /** True if {@code sent} is a path's at-once refusal: the message never left on it. */
    static boolean declined(CompletableFuture<MessageRouter.Outcome> sent) {
        if (!sent.isCompletedExceptionally()) {
            return false;
        }
        try {
            sent.join();
            return false;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() instanceof MessageFailed f && f.outcome() == MessageFailed.Outcome.NOT_SENT;
        }
    }
}
