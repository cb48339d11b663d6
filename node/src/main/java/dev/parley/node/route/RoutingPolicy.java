package dev.parley.node.route;

import dev.parley.node.time.NodeClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Which path a message takes, in one place: the direct link when it is up, the server otherwise;
 * private messages the direct link only. Direct traffic to a peer waits while the server still
 * has unanswered messages to that peer (the server pushes a message to the peer before it
 * answers, so nothing sent direct can overtake one it was given), but at most
 * {@link #MAX_HOLD_NANOS}: when the server is slow or away, order yields to delivery. When a link
 * is lost, what it did not confirm goes through the server oldest first, and private messages fail.
 */
public final class RoutingPolicy {
    /** How long ordering may hold direct traffic back while the server is slow or away. */
    static final long MAX_HOLD_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What to do with the messages a lost link did not confirm: relay these, in this order; fail those. */
    public record Rerouting(List<Outgoing> relay, List<Outgoing> fail) {
    }

    private final Path direct;
    private final Path relay;
    private final NodeClock clock;
    /** Per peer, messages handed to the server and not yet answered by it. */
    private final Map<String, ServerBacklog> atServer = new ConcurrentHashMap<>();

    public RoutingPolicy(Path direct, Path relay, NodeClock clock) {
        this.direct = direct;
        this.relay = relay;
        this.clock = clock;
    }

    /** The paths to try for a message, best first: each next one if the one before declines it. */
    public List<Path> paths(Outgoing message) {
        if (message.privateOnly()) {
            return List.of(direct);
        }
        return direct.reaches(message.to()) && !held(message.to()) ? List.of(direct, relay) : List.of(relay);
    }

    /** A path took a message: what goes to the server holds direct traffic back until it is answered. */
    public void sent(Path path, Outgoing message, CompletableFuture<?> outcome) {
        if (path != relay) {
            return;
        }
        ServerBacklog backlog = atServer.computeIfAbsent(message.to(), k -> new ServerBacklog());
        backlog.add(clock.nanoTime());
        outcome.whenComplete((ok, failure) -> backlog.done());
    }

    /** The messages a lost link did not confirm: the others through the server, oldest first; private ones fail. */
    public Rerouting linkLost(Collection<Outgoing> unconfirmed) {
        List<Outgoing> relayed = new ArrayList<>();
        List<Outgoing> failed = new ArrayList<>();
        unconfirmed.stream().sorted(Comparator.comparingLong(Outgoing::seq))
                .forEach(m -> (m.privateOnly() ? failed : relayed).add(m));
        return new Rerouting(List.copyOf(relayed), List.copyOf(failed));
    }

    /** True while direct traffic to {@code peer} must wait for the server. */
    boolean held(String peer) {
        ServerBacklog backlog = atServer.get(peer);
        return backlog != null && backlog.holds(clock.nanoTime());
    }

    /** Messages the server has not answered yet, and since when there have been any. */
    private static final class ServerBacklog {
        private int count;
        private long sinceNanos;

        synchronized void add(long nowNanos) {
            if (count++ == 0) {
                sinceNanos = nowNanos;
            }
        }

        synchronized void done() {
            count--;
        }

        /** Something is pending, and not for too long yet. */
        synchronized boolean holds(long nowNanos) {
            return count > 0 && nowNanos - sinceNanos <= MAX_HOLD_NANOS;
        }
    }
}
