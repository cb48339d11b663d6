package dev.parley.node.p2p;

import dev.parley.common.protocol.Candidate;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The hole punch as a way to a peer ({@link HolePunch}), tried before plain TCP: a peer behind
 * another public address is usually behind a NAT whose firewall drops a plain dial only after the
 * connect timeout, and a punch gets through in about a round trip. It applies when the peer was
 * observed at a public address other than ours; a peer at our own public address shares our LAN,
 * where {@link TcpDialer} dials its {@code local} candidates. Nor is it needed when the peer offers
 * an {@code advertised} or {@code mapped} candidate: a port its user forwarded or its router mapped
 * takes a plain dial, and {@link TcpDialer} tries those first.
 */
final class PunchDialer implements Dialer {
    static final int PRIORITY = 5;

    private final HolePunch punch;
    private final BooleanSupplier localUse;
    private final Supplier<Optional<String>> ownPublicHost;

    PunchDialer(HolePunch punch, BooleanSupplier localUse, Supplier<Optional<String>> ownPublicHost) {
        this.punch = punch;
        this.localUse = localUse;
        this.ownPublicHost = ownPublicHost;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public String name() {
        return "punch";
    }

    @Override
    public Route route(String user, List<Candidate> candidates) {
        return new Route() {
            @Override
            public Optional<String> exhausted() {
                return whyNot(user, candidates, localUse.getAsBoolean(), ownPublicHost.get());
            }

            @Override
            public Future<PeerLink> dial(byte[] encodedKey) {
                return punch.initiate(user, encodedKey).recover(e -> Future.failedFuture("hole punch: " + PeerTls.describe(e)));
            }
        };
    }

    /** Why a punch to {@code user} is not the way, or empty if it is. */
    static Optional<String> whyNot(String user, List<Candidate> candidates, boolean localUse, Optional<String> ownPublicHost) {
        if (DialCandidates.sameLan(candidates, ownPublicHost)) {
            return Optional.of("no punch needed: " + user + " is behind our own public address");
        }
        Optional<Candidate> open = candidates.stream()
                .filter(c -> c.type() == Candidate.Type.advertised || c.type() == Candidate.Type.mapped).findFirst();
        if (open.isPresent()) {
            return Optional.of("no punch needed: " + user + " offers the " + open.get().type() + " address "
                    + open.get().address());
        }
        if (HolePunch.punchTarget(candidates, localUse).isEmpty()) {
            return Optional.of("no public address of " + user + " to punch to");
        }
        return Optional.empty();
    }
}
