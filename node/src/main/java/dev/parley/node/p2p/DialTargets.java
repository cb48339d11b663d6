package dev.parley.node.p2p;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.Username;
import dev.parley.node.time.NodeClock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The peers this node dials (they consented to us), until a link is up, and again after it drops,
 * while consent stands. Each attempt tries the peer's routes, one per {@link Dialer}, in priority
 * order: the first that yields a link wins; if none does, the failure is reported with every
 * route's error and the peer is dialed again later, backing off (2 s at first, doubling, at most 30 s;
 * from 2 s again once a link was up). When no route has anything left to try, the peer is not
 * dialed again until a new introduction. Timers come from the injected {@link NodeClock}.
 */
final class DialTargets {
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    private final NodeClock clock;
    private final List<Dialer> dialers;
    private final AcceptedKeys accepted;
    private final Predicate<String> linkUp;
    private final BiConsumer<String, String> dialFailed;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    /** Peers (name keys) a round of attempts is under way for: one round at a time per peer. */
    private final Set<String> dialing = ConcurrentHashMap.newKeySet();

    /** A peer we dial: its routes, best first, and the wait before the latest retry (zero before any). */
    private record Target(String user, List<Dialer.Route> routes, Duration retryDelay) {
        /** One more failure: the next wait is longer. */
        Target backedOff() {
            Duration next = retryDelay.isZero() ? FIRST_RETRY : retryDelay.multipliedBy(2);
            return new Target(user, routes, next.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : next);
        }

        Target reset() {
            return new Target(user, routes, Duration.ZERO);
        }

        boolean exhausted() {
            return routes.stream().allMatch(r -> r.exhausted().isPresent());
        }

        String whyExhausted() {
            return routes.stream().flatMap(r -> r.exhausted().stream()).collect(Collectors.joining("; "));
        }
    }

    /**
     * @param linkUp     whether a link to the user is up (then there is nothing to dial)
     * @param dialFailed told (user, why) when an attempt failed
     */
    DialTargets(NodeClock clock, List<Dialer> dialers, AcceptedKeys accepted, Predicate<String> linkUp,
            BiConsumer<String, String> dialFailed) {
        this.clock = clock;
        this.dialers = dialers.stream().sorted(Comparator.comparingInt(Dialer::priority)).toList();
        this.accepted = accepted;
        this.linkUp = linkUp;
        this.dialFailed = dialFailed;
    }

    /** Consent given to us, with the candidates the peer announced: dial it (its key must be accepted first). */
    void dial(String user, List<Candidate> candidates) {
        Target target = new Target(user, dialers.stream().map(d -> d.route(user, candidates)).toList(), Duration.ZERO);
        if (target.exhausted()) {
            targets.remove(Username.key(user));
            dialFailed.accept(user, target.whyExhausted());
            return;
        }
        targets.put(Username.key(user), target);
        attempt(user);
    }

    /** A link to the user came up: the next loss is retried soon again. */
    void connected(String user) {
        targets.computeIfPresent(Username.key(user), (k, t) -> t.reset());
    }

    /** The user's link went down: dial it again later. */
    void lost(String user) {
        retryLater(user);
    }

    /** A dialed connection was turned away after it opened (TLS 1.3 lets the peer do that): a failed attempt. */
    void failedAfterConnect(String user, String why) {
        dialFailed.accept(user, why);
        retryLater(user);
    }

    /**
     * The network changed: what failed before may work now. Every peer without a link is dialed
     * again at once, its backoff from the start; routes are kept.
     */
    void retryNow() {
        for (String key : List.copyOf(targets.keySet())) {
            Target t = targets.computeIfPresent(key, (k, old) -> old.reset());
            if (t != null && !linkUp.test(t.user())) {
                attempt(t.user());
            }
        }
    }

    /** Consent is over: the user is not dialed again. */
    void forget(String user) {
        targets.remove(Username.key(user));
    }

    /** The node is shutting down: nobody is dialed again. */
    void stop() {
        targets.clear();
    }

    private void attempt(String user) {
        Target target = targets.get(Username.key(user));
        if (target == null || linkUp.test(user)) {
            return;
        }
        Optional<byte[]> key = accepted.of(user);
        if (key.isEmpty()) {
            return;
        }
        if (!dialing.add(Username.key(user))) {
            return;
        }
        List<Dialer.Route> live = target.routes().stream().filter(r -> r.exhausted().isEmpty()).toList();
        tryNext(user, live, 0, key.get(), "");
    }

    /** {@code errors}: what the routes tried in this round said, in order. */
    private void tryNext(String user, List<Dialer.Route> routes, int index, byte[] key, String errors) {
        if (index >= routes.size()) {
            Target t = targets.get(Username.key(user));
            roundFailed(user, !errors.isEmpty() ? errors : t != null ? t.whyExhausted() : "no way to reach " + user);
            return;
        }
        // On success the link reports itself: up on the peer's hello, or a failed attempt if it closes first.
        routes.get(index).dial(key).onSuccess(link -> dialing.remove(Username.key(user))).onFailure(e -> tryNext(user, routes, index + 1, key,
                (errors.isEmpty() ? "" : errors + "; ") + PeerTls.describe(e)));
    }

    /** Every route failed: again later if one may still answer, else not until a new introduction. */
    private void roundFailed(String user, String lastError) {
        String k = Username.key(user);
        dialing.remove(k);
        Target t = targets.get(k);
        boolean givenUp = t != null && t.exhausted() && targets.remove(k, t);
        dialFailed.accept(user, lastError);
        if (!givenUp) {
            retryLater(user);
        }
    }

    /** Dials again later, backing off, while consent stands and no link is up. */
    private void retryLater(String user) {
        Target t = targets.computeIfPresent(Username.key(user), (k, old) -> old.backedOff());
        if (t != null) {
            clock.schedule(t.retryDelay(), () -> attempt(user));
        }
    }
}
