package dev.parley.node.p2p;

import dev.parley.node.time.NodeClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The TLS 1.3 listener for direct links. Anyone can connect, so what a stranger costs is bounded:
 * a connection first passes the {@link IncomingThrottle} (or is closed at once, before any
 * handshake); the handshake then admits only a key the server vouched for ({@link AcceptedKeys});
 * and the peer is known by that key, not by what it says. Refusals are reported through a
 * {@link RefusalReport}, so a flood of them does not flood the output.
 */
final class PeerListener {
    /** Where a connection goes once its handshake proved a consented key. */
    @FunctionalInterface
    interface Arrivals {
        void identified(NetSocket socket, String user);
    }

    private final Vertx vertx;
    private final Identity identity;
    private final AcceptedKeys accepted;
    private final Arrivals arrivals;
    /** Takes a connection that belongs to a hole punch (it secures or closes it); false for any other. */
    private volatile Predicate<NetSocket> punches = socket -> false;
    private final IncomingThrottle throttle;
    private final RefusalReport refusals;
    /** Our listener is on loopback: peers are on this machine, so loopback addresses may be dialed. */
    private volatile boolean localUse;
    private NetServer server;

    /** @param refused told why a connection was turned away (a few per window, then a summary) */
    PeerListener(Vertx vertx, NodeClock clock, Identity identity, AcceptedKeys accepted, Consumer<String> refused,
            Arrivals arrivals) {
        this.vertx = vertx;
        this.identity = identity;
        this.accepted = accepted;
        this.arrivals = arrivals;
        this.throttle = new IncomingThrottle(clock::nanoTime);
        this.refusals = new RefusalReport(refused, clock);
    }

    /** Starts listening; completes with the bound port. */
    Future<Integer> listen(String host, int port) {
        localUse = isLoopback(host);
        // Shared with ObservedAddress, which connects out from this port (with ReusePortTransport's Vert.x).
        server = vertx.createNetServer(PeerTls.server(identity, accepted::isAccepted).setHost(host).setPort(port)
                .setReuseAddress(true).setReusePort(true));
        server.exceptionHandler(e -> refused("refused a connection: " + PeerTls.describe(e)));
        server.connectHandler(this::accepted);
        return server.listen().map(NetServer::actualPort);
    }

    /** Connections from an address a hole punch is dialing go to the punch, not through the handshake here. */
    void punches(Predicate<NetSocket> claim) {
        this.punches = claim;
    }

    /** Whether this node is set up for local use: its listener is on loopback. */
    boolean localUse() {
        return localUse;
    }

    /** Reports a connection turned away, here or later by its link (a false hello, no hello). */
    void refused(String why) {
        refusals.refused(why);
    }

    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** A new connection: let in by the throttle (or closed at once), then the TLS handshake. */
    private void accepted(NetSocket socket) {
        SocketAddress from = socket.remoteAddress();
        if (!throttle.admit(from.hostAddress())) {
            socket.close();
            refused("dropped a connection from " + from + ": too many connections");
            return;
        }
        if (punches.test(socket)) {
            throttle.handshakeDone();
            return;
        }
        socket.upgradeToSsl().onComplete(tls -> {
            throttle.handshakeDone();
            if (tls.failed()) {
                socket.close();
                refused("refused a connection from " + from + ": " + PeerTls.describe(tls.cause()));
            } else {
                identify(socket);
            }
        });
    }

    /** The peer is whoever holds the key its certificate carries; nobody's key, no link. */
    private void identify(NetSocket socket) {
        Optional<String> user;
        try {
            user = accepted.userFor(socket.peerCertificates().get(0).getPublicKey().getEncoded());
        } catch (Exception e) {
            user = Optional.empty();
        }
        if (user.isEmpty()) {
            refused("refused a connection from " + socket.remoteAddress() + ": no consented key");
            socket.close();
            return;
        }
        arrivals.identified(socket, user.get());
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
