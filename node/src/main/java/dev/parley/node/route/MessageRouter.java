package dev.parley.node.route;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * P2P first: a message goes over the direct link when there is one, and through the server
 * otherwise. Each message has an id (the same on every path) and a per-peer sequence number.
 * Direct messages wait for the peer's receipt; if the link dies first, they are sent again
 * through the server, oldest first, before anything newer. The receiver drops repeats by id.
 * A message that does not get through fails with {@link MessageFailed}, which names its id and
 * recipient. (Sends the server did not answer before the connection dropped are kept and sent
 * again by the session itself, with the same id: see {@code ResendPolicy}.)
 */
public final class MessageRouter {
    /** How a message ended up: the path, and what the user should be told. */
    public record Outcome(String to, String id, String via, String text) {
    }

    private record Outgoing(String to, String id, long seq, String text, CompletableFuture<Outcome> done,
            boolean privateOnly) {
    }

    private final Supplier<? extends DirectPath> links;
    private final Supplier<? extends ServerPath> session;
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final Map<String, Outgoing> awaitingReceipt = new ConcurrentHashMap<>();
    /** Per peer, messages handed to the server and not yet taken by it. */
    private final Map<String, ServerBacklog> atServer = new ConcurrentHashMap<>();

    /** How long ordering may hold direct traffic back while the server is slow or away. */
    static final long MAX_HOLD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** Messages the server has not answered yet, and since when there have been any. */
    private static final class ServerBacklog {
        private int count;
        private long sinceNanos;

        synchronized void add() {
            if (count++ == 0) {
                sinceNanos = System.nanoTime();
            }
        }

        synchronized void done() {
            count--;
        }

        /** True when direct traffic may flow: nothing pending, or the server has been stuck too long. */
        synchronized boolean clear() {
            return count == 0 || System.nanoTime() - sinceNanos > MAX_HOLD_NANOS;
        }
    }

    public MessageRouter(Supplier<? extends DirectPath> links, Supplier<? extends ServerPath> session) {
        this.links = links;
        this.session = session;
    }

    /**
     * Sends a message by the best path; completes when the peer (direct) or the server (relay) has
     * it. Synchronized with {@link #linkDown}: whichever thread notices a dead link first, the
     * unconfirmed messages go to the server before any newer one.
     */
    public synchronized CompletableFuture<Outcome> send(String to, String text) {
        String key = to.toLowerCase(java.util.Locale.ROOT);
        long seq = sequences.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        Outgoing out = new Outgoing(key, UUID.randomUUID().toString(), seq, text, new CompletableFuture<>(), false);
        DirectPath l = links.get();
        boolean linkUp = l != null && l.isUp(key);
        if (!linkUp) {
            linkDown(key); // the link died and its closing is not reported yet: resend first
        }
        // Back to direct only once the server has taken everything sent its way: the server pushes a
        // message to the peer before it answers, so nothing sent direct can overtake it. If the
        // server is away, direct traffic waits at most a few seconds (order yields to delivery).
        ServerBacklog backlog = atServer.get(key);
        boolean drained = backlog == null || backlog.clear();
        if (PathSelector.choose(linkUp && drained) == PathSelector.Path.DIRECT) {
            awaitingReceipt.put(out.id(), out);
            if (l.send(key, new PeerFrame.Chat(out.id(), seq, text, System.currentTimeMillis(), false))) {
                return out.done();
            }
            awaitingReceipt.remove(out.id());
        }
        return viaServer(out);
    }

    /** Sends over the direct link only: fails at once if there is none, or if it closes before the receipt. */
    public synchronized CompletableFuture<Outcome> sendPrivate(String to, String text) {
        String key = to.toLowerCase(java.util.Locale.ROOT);
        long seq = sequences.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        Outgoing out = new Outgoing(key, UUID.randomUUID().toString(), seq, text, new CompletableFuture<>(), true);
        DirectPath l = links.get();
        awaitingReceipt.put(out.id(), out);
        if (l == null || !l.send(key, new PeerFrame.Chat(out.id(), seq, text, System.currentTimeMillis(), true))) {
            awaitingReceipt.remove(out.id());
            out.done().completeExceptionally(MessageFailed.notSent(out.to(), out.id(), text,
                    "no direct link with " + to + "; start one with: getaddress " + to));
        }
        return out.done();
    }

    /** The peer confirmed a direct message. */
    public boolean receipt(String id) {
        Outgoing out = awaitingReceipt.remove(id);
        if (out == null) {
            return false;
        }
        out.done().complete(new Outcome(out.to(), id, "direct", out.text()));
        return true;
    }

    /**
     * The link to a peer closed: what it did not confirm goes through the server, in order (private
     * messages fail instead). Returns how many were rerouted.
     */
    public synchronized int linkDown(String peer) {
        String key = peer.toLowerCase(java.util.Locale.ROOT);
        List<Outgoing> unconfirmed = new ArrayList<>();
        awaitingReceipt.values().removeIf(o -> {
            if (o.to().equals(key)) {
                unconfirmed.add(o);
                return true;
            }
            return false;
        });
        unconfirmed.sort(Comparator.comparingLong(Outgoing::seq));
        int rerouted = 0;
        for (Outgoing o : unconfirmed) {
            if (o.privateOnly()) {
                o.done().completeExceptionally(MessageFailed.unconfirmed(o.to(), o.id(), o.text(),
                        "the direct link closed before " + peer + " confirmed it (private messages are never relayed)"));
            } else {
                viaServer(o);
                rerouted++;
            }
        }
        return rerouted;
    }

    private CompletableFuture<Outcome> viaServer(Outgoing out) {
        ServerPath s = session.get();
        if (s == null) {
            out.done().completeExceptionally(MessageFailed.notSent(out.to(), out.id(), out.text(), "not logged in"));
            return out.done();
        }
        ServerBacklog pending = atServer.computeIfAbsent(out.to(), k -> new ServerBacklog());
        pending.add();
        s.request(new ClientMessage.Send("r-" + out.id(), out.to(), out.text(), out.id()))
                .whenComplete((reply, failure) -> {
                    pending.done();
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        out.done().completeExceptionally(cause instanceof ServerPath.NotSent
                                ? MessageFailed.notSent(out.to(), out.id(), out.text(), cause.getMessage())
                                : MessageFailed.unconfirmed(out.to(), out.id(), out.text(), describe(cause)));
                    } else if (reply instanceof ServerMessage.Error e) {
                        out.done().completeExceptionally(MessageFailed.refused(out.to(), out.id(), out.text(), e));
                    } else {
                        ServerMessage.Sent sent = (ServerMessage.Sent) reply;
                        out.done().complete(new Outcome(sent.to(), sent.messageId(), sent.via().name(), out.text()));
                    }
                });
        return out.done();
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
