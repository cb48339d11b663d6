package dev.parley.node.p2p;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.PunchPhase;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.Username;
import dev.parley.node.route.DirectPath;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The node's direct links, as the rest of the node sees them. Consent decides who may connect
 * ({@link #expect}) and whom we dial ({@link #dial}), until {@link #forget}. The work is done by
 * the parts: the {@link PeerListener} lets consented peers in, {@link DialTargets} reaches the
 * peers that consented to us through the {@link Dialer}s (a hole punch coordinated through the
 * server, {@link PunchDialer} with {@link HolePunch}, then plain TCP, {@link TcpDialer}) and dials
 * again with backoff, and the {@link LinkRegistry} keeps one live link per peer. Here each new
 * link gets its hellos and its events wired to those parts.
 */
public final class PeerLinks implements DirectPath {
    /** What the links tell the node. */
    public interface Listener {
        void linkUp(String user, String address, LinkHow how);

        void linkDown(String user, String why);

        void dialFailed(String user, String why);

        /** Someone tried to connect and was turned away. */
        void refused(String why);

        void received(String user, PeerFrame frame);

        /** A step of a hole punch to pass to a contact through the server. */
        void punchSignal(String user, PunchPhase phase, String nonce);
    }

    /** A peer's direct link as {@code contacts} shows it: up (and how), or not, and why the last attempt failed. */
    public record Status(Optional<LinkHow> how, Optional<String> lastFailure) {
    }

    private final NodeClock clock;
    private final ProtocolCodec codec;
    private final Listener listener;
    private final AcceptedKeys accepted = new AcceptedKeys();
    private final LinkRegistry links;
    private final PeerListener incoming;
    private final DialTargets targets;
    private final HolePunch punch;
    /** Why the last attempt to reach each peer failed, by name key, until a link comes up. */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private volatile InetSocketAddress listenerAddress;
    private volatile String me;
    /** The host the server last observed our P2P port at, if it did. */
    private volatile Optional<String> publicHost = Optional.empty();

    public PeerLinks(Vertx vertx, NodeClock clock, Identity identity, ProtocolCodec codec, Listener listener) {
        this.clock = clock;
        this.codec = codec;
        this.listener = listener;
        this.links = new LinkRegistry(listener, link -> dialedByLowerKey(identity, link));
        this.incoming = new PeerListener(vertx, clock, identity, accepted, listener::refused, this::arrived);
        this.punch = new HolePunch(vertx, clock, identity, accepted, listener::punchSignal, () -> listenerAddress,
                this::dialed, incoming::localUse, incoming::refused);
        incoming.punches(punch::claim);
        Dialer punching = new PunchDialer(punch, incoming::localUse, () -> publicHost);
        Dialer tcp = new TcpDialer(vertx, identity, incoming::localUse, () -> publicHost, this::dialed);
        this.targets = new DialTargets(clock, List.of(punching, tcp), accepted, links::isUp, this::dialFailed);
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
        return incoming.listen(host, port).onSuccess(bound -> listenerAddress = new InetSocketAddress(host, bound));
    }

    /** A contact's step of a hole punch, passed on by the server. */
    public void punchSignal(ServerMessage.PunchSignal signal) {
        punch.signal(signal);
    }

    /** The network changed: peers without a link are dialed again now, with what was learned forgotten. */
    public void networkChanged() {
        lastFailure.clear();
        targets.retryNow();
    }

    /** The user's link as it stands. */
    public Status status(String user) {
        return new Status(links.how(user), Optional.ofNullable(lastFailure.get(Username.key(user))));
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
        lastFailure.remove(Username.key(user));
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
        DirectLink link = open(socket, why -> incoming.refused("dropped a connection from " + why), () -> { },
                LinkHow.INCOMING);
        link.expectPeer(user, claimed -> incoming.refused("refused " + socket.remoteAddress() + ": it claimed to be "
                + claimed + " with " + user + "'s key"));
        link.send(new PeerFrame.Hello(me));
    }

    /** A dialer reached the peer. */
    private PeerLink dialed(NetSocket socket, String user, Runnable release, LinkHow how) {
        // Turned away after the connection opened (TLS 1.3 lets the peer do that): a failed dial.
        DirectLink link = open(socket, why -> targets.failedAfterConnect(user, why), release, how);
        link.expectPeer(user, claimed -> { });
        link.send(new PeerFrame.Hello(me));
        return link;
    }

    /**
     * A link on a socket whose handshake proved the peer's key; it joins the registry on the
     * peer's hello. {@code closedEarly} is told "address: why" if it closes before that hello.
     */
    private DirectLink open(NetSocket socket, Consumer<String> closedEarly, Runnable release, LinkHow how) {
        return new DirectLink(clock, socket, codec, how, new DirectLink.Events() {
            @Override
            public void hello(DirectLink link, String user) {
                lastFailure.remove(Username.key(user));
                targets.connected(user);
                links.up(link);
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

    /**
     * Whether the end of {@code link} with the lower key fingerprint dialed it. A punched link was
     * made by the TLS client's dial, the lower key's ({@link HolePunch}); otherwise whoever did
     * not accept it dialed it.
     */
    private boolean dialedByLowerKey(Identity identity, PeerLink link) {
        if (link.how() == LinkHow.PUNCHED) {
            return true;
        }
        Optional<byte[]> peerKey = accepted.of(link.peer());
        if (peerKey.isEmpty()) {
            return true;
        }
        boolean weAreLower = identity.fingerprint().compareTo(IdentityKeys.fingerprint(peerKey.get())) < 0;
        boolean weDialed = link.how() != LinkHow.INCOMING;
        return weDialed == weAreLower;
    }

    /**
     * An attempt failed: reported when its reason is new, so a peer that stays out of reach (behind
     * a symmetric NAT, say) costs one line, not one per retry; {@code contacts} shows the latest.
     */
    private void dialFailed(String user, String why) {
        String previous = lastFailure.put(Username.key(user), why);
        if (!why.equals(previous)) {
            listener.dialFailed(user, why);
        }
    }
}
