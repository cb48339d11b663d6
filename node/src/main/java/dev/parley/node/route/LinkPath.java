package dev.parley.node.route;

import dev.parley.common.protocol.PeerFrame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The direct link as a {@link Path}: sends a {@link PeerFrame.Chat} and completes when the peer's
 * receipt comes back. What the link did not confirm before it closed is handed back by
 * {@link #lost}, for the router to send another way or fail.
 */
final class LinkPath implements Path {
    private final Supplier<? extends DirectPath> links;
    /** Sent direct and not confirmed yet, by message id. */
    private final Map<String, Awaiting> awaitingReceipt = new ConcurrentHashMap<>();

    private record Awaiting(Outgoing message, CompletableFuture<MessageRouter.Outcome> done) {
    }

    LinkPath(Supplier<? extends DirectPath> links) {
        this.links = links;
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public boolean reaches(String peer) {
        DirectPath l = links.get();
        return l != null && l.isUp(peer);
    }

    @Override
    public CompletableFuture<MessageRouter.Outcome> send(Outgoing m) {
        CompletableFuture<MessageRouter.Outcome> done = new CompletableFuture<>();
        DirectPath l = links.get();
        // Registered before it is written: the receipt may come back before send returns.
        awaitingReceipt.put(m.id(), new Awaiting(m, done));
        if (l == null || !l.send(m.to(), new PeerFrame.Chat(m.id(), m.seq(), m.text(), System.currentTimeMillis(),
                m.privateOnly()))) {
            awaitingReceipt.remove(m.id());
            done.completeExceptionally(MessageFailed.notSent(m.to(), m.id(), m.text(), "no direct link with " + m.to()
                    + (m.privateOnly() ? "; start one with: getaddress " + m.to() : "")));
        }
        return done;
    }

    /** The peer confirmed a message; false if it was not awaited (a repeat, or already rerouted). */
    boolean receipt(String id) {
        Awaiting a = awaitingReceipt.remove(id);
        if (a == null) {
            return false;
        }
        Outgoing m = a.message();
        a.done().complete(new MessageRouter.Outcome(m.to(), m.id(), name(), m.text()));
        return true;
    }

    /** The link to {@code peer} is gone: what it did not confirm, with the futures still waiting for it. */
    Map<Outgoing, CompletableFuture<MessageRouter.Outcome>> lost(String peer) {
        Map<Outgoing, CompletableFuture<MessageRouter.Outcome>> unconfirmed = new LinkedHashMap<>();
        awaitingReceipt.values().removeIf(a -> {
            if (a.message().to().equals(peer)) {
                unconfirmed.put(a.message(), a.done());
                return true;
            }
            return false;
        });
        return unconfirmed;
    }
}
