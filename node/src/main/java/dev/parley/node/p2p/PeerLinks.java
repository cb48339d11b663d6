package dev.parley.node.p2p;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.node.route.DirectPath;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The node's direct links, as the rest of the node sees them. Consent decides who may connect
 * ({@link #expect}) and whom we dial ({@link #dial}), until {@link #forget}. The work is done by
 * the parts: the {@link PeerListener} lets consented peers in, {@link DialTargets} reaches the
 * peers that consented to us through the {@link Dialer}s (direct TCP, {@link TcpDialer}, for now)
 * and dials again with backoff, and the {@link LinkRegistry} keeps one live link per peer. Here
 * each new link gets its hellos and its events wired to those parts.
 */
public final class PeerLinks implements DirectPath {
    /** What the links tell the node. */
    public interface Listener {
        void linkUp(String user, String address, boolean dialed);

        void linkDown(String user, String why);

        void dialFailed(String user, String why);

        /** Someone tried to connect and was turned away. */
        void refused(String why);

        void received(String user, PeerFrame frame);
    }

    private final NodeClock clock;
    private final ProtocolCodec codec;
    private final Listener listener;
    private final AcceptedKeys accepted = new AcceptedKeys();
    private final LinkRegistry links;
    private final PeerListener incoming;
    private final DialTargets targets;
    private volatile String me;
    /** The host the server last observed our P2P port at, if it did. */
    private volatile Optional<String> publicHost = Optional.empty();

    public PeerLinks(Vertx vertx, NodeClock clock, Identity identity, ProtocolCodec codec, Listener listener) {
        this.clock = clock;
        this.codec = codec;
        this.listener = listener;
        this.links = new LinkRegistry(listener);
        this.incoming = new PeerListener(vertx, clock, identity, accepted, listener::refused, this::arrived);
        Dialer tcp = new TcpDialer(vertx, identity, incoming::localUse, () -> publicHost, this::dialed);
        this.targets = new DialTargets(clock, List.of(tcp), accepted, links::isUp, listener::dialFailed);
    }

    /** Who we are, for our hellos. */
    public void me(String user) {
        this.me = user;
    }

    /** Where the server observed our P2P port ({@code host:port}): peers observed at that host share our LAN. */
    public void observedAt(String address) {
        publicHost = Optional.of(DialCandidates.host(address));
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> listen(String host, int port) {
        return incoming.listen(host, port);
    }

    /** Consent given by us: this user may connect, holding this key. */
    public void expect(String user, String encodedKey) {
        accepted.accept(user, IdentityKeys.decode(encodedKey).getEncoded());
    }

    /** Consent given to us: dial the user's announced candidates until one answers as the vouched key. */
    public void dial(String user, String encodedKey, List<Candidate> candidates) {
        expect(user, encodedKey);
        targets.dial(user, candidates);
    }

    @Override
    public boolean isUp(String user) {
        return links.isUp(user);
    }

    /** Sends over the link if there is one; false if there is none. */
    @Override
    public boolean send(String user, PeerFrame frame) {
        return links.send(user, frame);
    }

    /** Closes the link (if any) and stops accepting the peer: consent is over. */
    public void forget(String user, String why) {
        targets.forget(user);
        accepted.forget(user);
        links.forget(user, why);
    }

    public void close() {
        targets.stop();
        links.closeAll("node shutting down");
        incoming.close();
    }

    /** A consented peer connected to us. */
    private void arrived(NetSocket socket, String user) {
        DirectLink link = open(socket, false, why -> incoming.refused("dropped a connection from " + why), () -> { });
        link.expectPeer(user, claimed -> incoming.refused("refused " + socket.remoteAddress() + ": it claimed to be "
                + claimed + " with " + user + "'s key"));
        link.send(new PeerFrame.Hello(me));
    }

    /** A dialer reached the peer. */
    private PeerLink dialed(NetSocket socket, String user, Runnable release) {
        // Turned away after the connection opened (TLS 1.3 lets the peer do that): a failed dial.
        DirectLink link = open(socket, true, why -> targets.failedAfterConnect(user, why), release);
        link.expectPeer(user, claimed -> { });
        link.send(new PeerFrame.Hello(me));
        return link;
    }

    /**
     * A link on a socket whose handshake proved the peer's key; it joins the registry on the
     * peer's hello. {@code closedEarly} is told "address: why" if it closes before that hello.
     */
    private DirectLink open(NetSocket socket, boolean dialed, Consumer<String> closedEarly, Runnable release) {
        return new DirectLink(clock, socket, codec, new DirectLink.Events() {
            @Override
            public void hello(DirectLink link, String user) {
                targets.connected(user);
                links.up(link, dialed);
            }

            @Override
            public void frame(DirectLink link, PeerFrame frame) {
                listener.received(link.peer(), frame);
            }

            @Override
            public void closed(DirectLink link, String why) {
                release.run();
                if (link.peer() == null) {
                    closedEarly.accept(link.address() + ": " + why);
                } else if (links.closed(link, why)) {
                    targets.lost(link.peer());
                }
            }
        });
    }
}
