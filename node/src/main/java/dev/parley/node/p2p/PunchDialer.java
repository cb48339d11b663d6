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
 * where {@link TcpDialer} dials its {@code local} candidates.
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
                if (DialCandidates.sameLan(candidates, ownPublicHost.get())) {
                    return Optional.of("no punch needed: " + user + " is behind our own public address");
                }
                if (HolePunch.punchTarget(candidates, localUse.getAsBoolean()).isEmpty()) {
                    return Optional.of("no public address of " + user + " to punch to");
                }
                return Optional.empty();
            }

            @Override
            public Future<PeerLink> dial(byte[] encodedKey) {
                return punch.initiate(user, encodedKey).recover(e -> Future.failedFuture("hole punch: " + PeerTls.describe(e)));
            }
        };
    }
}
