package dev.parley.node.p2p;

import dev.parley.common.protocol.Candidate;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * One way to reach a peer that consented to us. A node holds several, ranked by priority the way
 * Syncthing's connection service ranks its dialers: a hole punch ({@link PunchDialer}) first
 * when the peer is behind another public address, then plain TCP ({@link TcpDialer}); a relay
 * or another transport would be one more dialer. {@link DialTargets} tries
 * a peer's routes best first, and the first that yields a link wins.
 */
interface Dialer {
    /** Lower goes first. */
    int priority();

    /** What the dialer is called in messages. */
    String name();

    /**
     * This dialer's way to one peer just introduced, with the candidates it announced. The route
     * is kept until consent ends or the next introduction, so it may learn from each attempt
     * (an address that is not a Parley node is not dialed again).
     */
    Route route(String user, List<Candidate> candidates);

    /** A dialer's way to one peer. */
    interface Route {
        /** Why nothing is left to try on this route (it is not tried again); empty while something is. */
        Optional<String> exhausted();

        /**
         * One attempt: completes with a link opened to a peer holding {@code encodedKey}, or fails
         * with a message that says why (the last address tried, say).
         */
        Future<PeerLink> dial(byte[] encodedKey);
    }
}
