package dev.parley.node.route;

import dev.parley.common.protocol.Username;
import dev.parley.node.time.NodeClock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * P2P first: a message goes over the direct link when there is one, and through the server
 * otherwise ({@link RoutingPolicy} decides). Each message has an id (the same on every path) and
 * a per-peer sequence number. Direct messages wait for the peer's receipt; if the link dies
 * first, they are sent again through the server, oldest first, before anything newer. The
 * receiver drops repeats by id. A message that does not get through fails with
 * {@link MessageFailed}, which names its id and recipient. (Sends the server did not answer
 * before the connection dropped are kept and sent again by the session itself, with the same id:
 * see {@code ResendPolicy}.)
 */
public final class MessageRouter {
    /** How a message ended up: the path, and what the user should be told. */
    public record Outcome(String to, String id, String via, String text) {
    }

    private final LinkPath direct;
    private final RelayPath relay;
    private final RoutingPolicy policy;
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

    public MessageRouter(Supplier<? extends DirectPath> links, Supplier<? extends ServerPath> session, NodeClock clock) {
        this.direct = new LinkPath(links);
        this.relay = new RelayPath(session);
        this.policy = new RoutingPolicy(direct, relay, clock);
    }

    /**
     * Sends a message by the best path; completes when the peer (direct) or the server (relay) has
     * it. Synchronized with {@link #linkDown}: whichever thread notices a dead link first, the
     * unconfirmed messages go to the server before any newer one.
     */
    public synchronized CompletableFuture<Outcome> send(String to, String text) {
        Outgoing message = next(to, text, false);
        if (!direct.reaches(message.to())) {
            linkDown(message.to()); // the link died and its closing is not reported yet: resend first
        }
        return dispatch(message);
    }

    /** Sends over the direct link only: fails at once if there is none, or if it closes before the receipt. */
    public synchronized CompletableFuture<Outcome> sendPrivate(String to, String text) {
        return dispatch(next(to, text, true));
    }

    /** The peer confirmed a direct message. */
    public boolean receipt(String id) {
        return direct.receipt(id);
    }

    /**
     * The link to a peer closed: what it did not confirm goes through the server, in order (private
     * messages fail instead). Returns how many were rerouted.
     */
    public synchronized int linkDown(String peer) {
        Map<Outgoing, CompletableFuture<Outcome>> unconfirmed = direct.lost(Username.key(peer));
        RoutingPolicy.Rerouting plan = policy.linkLost(unconfirmed.keySet());
        for (Outgoing m : plan.fail()) {
            unconfirmed.get(m).completeExceptionally(MessageFailed.unconfirmed(m.to(), m.id(), m.text(),
                    "the direct link closed before " + peer + " confirmed it (private messages are never relayed)"));
        }
        for (Outgoing m : plan.relay()) {
            CompletableFuture<Outcome> waiting = unconfirmed.get(m);
            take(relay, m).whenComplete((outcome, failure) -> {
                if (failure != null) {
                    waiting.completeExceptionally(failure);
                } else {
                    waiting.complete(outcome);
                }
            });
        }
        return plan.relay().size();
    }

    private Outgoing next(String to, String text, boolean privateOnly) {
        String key = Username.key(to);
        long seq = sequences.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        return new Outgoing(key, UUID.randomUUID().toString(), seq, text, privateOnly);
    }

    /** On the first path the policy names that takes it; the last one's refusal if none does. */
    private CompletableFuture<Outcome> dispatch(Outgoing message) {
        CompletableFuture<Outcome> sent = null;
        for (Path path : policy.paths(message)) {
            sent = take(path, message);
            if (!Path.declined(sent)) {
                break;
            }
        }
        return sent;
    }

    private CompletableFuture<Outcome> take(Path path, Outgoing message) {
        CompletableFuture<Outcome> sent = path.send(message);
        policy.sent(path, message, sent);
        return sent;
    }
}
