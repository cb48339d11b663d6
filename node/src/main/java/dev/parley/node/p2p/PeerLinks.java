package dev.parley.node.p2p;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.node.route.DirectPath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's direct links: a TLS 1.3 listener that accepts only peers whose identity key the
 * server vouched for after consent, dialing of a consented peer's candidate addresses, and one
 * live link per peer. Whatever arrives from strangers is bounded: incoming connections pass an
 * {@link IncomingThrottle} before any handshake, refusals are reported through a
 * {@link RefusalReport}, and the addresses dialed are vetted by {@link DialCandidates}.
 */
public final class PeerLinks implements DirectPath {
    static final int DIAL_TIMEOUT_MILLIS = 3000;
    /** How long an incoming connection has to finish its TLS handshake. */
    static final int HANDSHAKE_SECONDS = 10;
    private static final Set<String> TLS13 = Set.of("TLSv1.3");

    /** What the links tell the node. */
    public interface Listener {
        void linkUp(String user, String address, boolean dialed);

        void linkDown(String user, String why);

        void dialFailed(String user, String why);

        /** Someone tried to connect and was turned away. */
        void refused(String why);

        void received(String user, PeerFrame frame);
    }

    private final Vertx vertx;
    private final Identity identity;
    private final ProtocolCodec codec;
    private final Listener listener;
    private final IncomingThrottle throttle = new IncomingThrottle(System::nanoTime);
    private final RefusalReport refusals;
    /** Our own listener is on loopback: peers are on this machine, so loopback addresses may be dialed. */
    private volatile boolean localUse;
    private volatile String me;
    /** user → the encoded key the server vouched for, while consent stands. */
    private final Map<String, byte[]> accepted = new ConcurrentHashMap<>();
    private final Map<String, DirectLink> links = new ConcurrentHashMap<>();
    /** Peers we dial (they consented to us): where, and how long to wait before the next try. */
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    /** A peer we dial: where, how often each address failed a handshake, and how long until the next try. */
    private record Target(String user, String key, List<String> addresses, Map<String, Integer> failedHandshakes,
            long backoffMillis) {
        Target backoff(long millis) {
            return new Target(user, key, addresses, failedHandshakes, millis);
        }

        Target without(String address) {
            return new Target(user, key, addresses.stream().filter(a -> !a.equals(address)).toList(), failedHandshakes,
                    backoffMillis);
        }

        /** One more failed handshake at this address; dropped when it has failed too often. */
        Target failedHandshake(String address) {
            Map<String, Integer> more = new java.util.HashMap<>(failedHandshakes);
            int count = more.merge(address, 1, Integer::sum);
            Target t = new Target(user, key, addresses, Map.copyOf(more), backoffMillis);
            return count >= DialCandidates.FAILED_HANDSHAKES_ALLOWED ? t.without(address) : t;
        }
    }

    static final long FIRST_RETRY_MILLIS = 2000;
    static final long MAX_RETRY_MILLIS = 60_000;
    private NetServer server;

    public PeerLinks(Vertx vertx, Identity identity, ProtocolCodec codec, Listener listener) {
        this.vertx = vertx;
        this.identity = identity;
        this.codec = codec;
        this.listener = listener;
        this.refusals = new RefusalReport(listener::refused, (delay, task) -> vertx.setTimer(delay.toMillis(), id -> task.run()));
    }

    /** Who we are, for our hellos. */
    public void me(String user) {
        this.me = user;
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> listen(String host, int port) {
        localUse = isLoopback(host);
        NetServerOptions options = new NetServerOptions()
                .setHost(host).setPort(port)
                // TLS is not started on accept but in accepted(), once the throttle let the
                // connection in: one turned away costs no handshake.
                .setSsl(false).setEnabledSecureTransportProtocols(TLS13)
                .setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
                .setTrustOptions(TrustOptions.wrap(new PeerKeyTrust(this::isAccepted)))
                .setSslHandshakeTimeout(HANDSHAKE_SECONDS);
        server = vertx.createNetServer(options);
        server.exceptionHandler(e -> refusals.refused("refused a connection: " + describe(e)));
        server.connectHandler(this::accepted);
        return server.listen().map(NetServer::actualPort);
    }

    /** Consent given by us: this user may connect, holding this key. */
    public void expect(String user, String encodedKey) {
        accepted.put(key(user), IdentityKeys.decode(encodedKey).getEncoded());
    }

    /** Consent given to us: dial the candidates in order until one answers as the vouched key. */
    public void dial(String user, String encodedKey, List<String> addresses) {
        expect(user, encodedKey);
        DialCandidates.Choice choice = DialCandidates.choose(addresses, localUse);
        if (choice.addresses().isEmpty()) {
            targets.remove(key(user));
            listener.dialFailed(user, "no address to dial" + (choice.skipped().isEmpty() ? ""
                    : ": not dialing " + String.join(", ", choice.skipped())));
            return;
        }
        targets.put(key(user), new Target(user, encodedKey, choice.addresses(), Map.of(), FIRST_RETRY_MILLIS));
        attempt(user);
    }

    private void attempt(String user) {
        String k = key(user);
        Target target = targets.get(k);
        if (target == null || isUp(k)) {
            return;
        }
        byte[] key = accepted.get(k);
        if (key == null) {
            return;
        }
        NetClient client = vertx.createNetClient(new NetClientOptions()
                // TLS starts once TCP is up (tryNext): an address that cannot be reached may be
                // tried again, one that connects but fails the handshake does not speak our protocol.
                .setSsl(false).setEnabledSecureTransportProtocols(TLS13)
                .setHostnameVerificationAlgorithm("")
                .setConnectTimeout(DIAL_TIMEOUT_MILLIS)
                // As long as the peer's side allows: a busy peer's first handshake can be slow.
                .setSslHandshakeTimeout(HANDSHAKE_SECONDS)
                .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
                .setTrustOptions(TrustOptions.wrap(PeerKeyTrust.exactly(key))));
        tryNext(client, user, target.addresses(), 0, "no address to dial");
    }

    private void tryNext(NetClient client, String user, List<String> addresses, int index, String lastError) {
        if (index >= addresses.size()) {
            client.close();
            roundFailed(user, lastError);
            return;
        }
        String address = addresses.get(index);
        resolve(address).onComplete(resolved -> {
            if (resolved.failed()) {
                tryNext(client, user, addresses, index + 1, address + ": " + describe(resolved.cause()));
                return;
            }
            Optional<String> refusal = DialCandidates.refusal(resolved.result(), localUse);
            if (refusal.isPresent()) {
                dropCandidate(user, address);
                tryNext(client, user, addresses, index + 1, address + ": not dialed, " + refusal.get());
                return;
            }
            client.connect(DialCandidates.port(address), resolved.result().getHostAddress()).onComplete(ar -> {
                if (ar.failed()) {
                    tryNext(client, user, addresses, index + 1, address + ": " + describe(ar.cause()));
                    return;
                }
                NetSocket socket = ar.result();
                socket.upgradeToSsl().onComplete(tls -> {
                    if (tls.failed()) {
                        socket.close();
                        boolean wrong = DialCandidates.wrongAnswer(tls.cause());
                        targets.computeIfPresent(key(user), (k, t) -> wrong ? t.without(address) : t.failedHandshake(address));
                        tryNext(client, user, addresses, index + 1, address + (wrong ? ": does not answer as a Parley node ("
                                : ": the TLS handshake failed (") + describe(tls.cause()) + ")");
                        return;
                    }
                    DirectLink link = new DirectLink(vertx, socket, codec, events(client, user));
                    link.expectPeer(user, claimed -> { });
                    link.send(new PeerFrame.Hello(me));
                });
            });
        });
    }

    /** The address an {@code host:port} stands for: a literal at once, a name looked up off the event loop. */
    private Future<InetAddress> resolve(String address) {
        String host = DialCandidates.host(address);
        if (DialCandidates.isLiteral(host)) {
            return DialCandidates.literal(host).map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture("not an IP address"));
        }
        return vertx.executeBlocking(() -> InetAddress.getByName(host), false);
    }

    /** An address that may not be dialed: never again for this target. */
    private void dropCandidate(String user, String address) {
        targets.computeIfPresent(key(user), (k, t) -> t.without(address));
    }

    /** Every address was tried: again later if some may still answer, else not until a new introduction. */
    private void roundFailed(String user, String lastError) {
        String k = key(user);
        Target t = targets.get(k);
        if (t != null && t.addresses().isEmpty() && targets.remove(k, t)) {
            listener.dialFailed(user, lastError + "; none of the addresses " + user
                    + " announced answers as a Parley node, so they are not tried again");
            return;
        }
        listener.dialFailed(user, lastError);
        retryLater(user);
    }

    @Override
    public boolean isUp(String user) {
        DirectLink link = links.get(key(user));
        return link != null && link.isOpen();
    }

    /** Sends over the link if there is one; false if there is none. */
    @Override
    public boolean send(String user, PeerFrame frame) {
        DirectLink link = links.get(key(user));
        if (link == null || !link.isOpen()) {
            return false;
        }
        link.send(frame);
        return true;
    }

    /** Dials again later, backing off, while consent stands and no link is up. */
    private void retryLater(String user) {
        String k = key(user);
        Target t = targets.computeIfPresent(k, (x, old) -> old.backoff(Math.min(MAX_RETRY_MILLIS, old.backoffMillis() * 2)));
        if (t != null) {
            vertx.setTimer(t.backoffMillis() / 2, id -> attempt(user));
        }
    }

    /** Closes the link (if any) and stops accepting the peer: consent is over. */
    public void forget(String user, String why) {
        String k = key(user);
        targets.remove(k);
        accepted.remove(k);
        DirectLink link = links.remove(k);
        if (link != null) {
            link.close(why);
            listener.linkDown(link.peer(), why);
        }
    }

    public void close() {
        links.values().forEach(l -> l.close("node shutting down"));
        if (server != null) {
            server.close();
        }
    }

    private boolean isAccepted(byte[] key) {
        return accepted.values().stream().anyMatch(k -> Arrays.equals(k, key));
    }

    private Optional<String> userFor(byte[] key) {
        return accepted.entrySet().stream().filter(e -> Arrays.equals(e.getValue(), key)).map(Map.Entry::getKey).findFirst();
    }

    /** A new connection: let in by the throttle (or closed at once), then the TLS handshake. */
    private void accepted(NetSocket socket) {
        SocketAddress from = socket.remoteAddress();
        if (!throttle.admit(from.hostAddress())) {
            socket.close();
            refusals.refused("dropped a connection from " + from + ": too many connections");
            return;
        }
        socket.upgradeToSsl().onComplete(tls -> {
            throttle.handshakeDone();
            if (tls.failed()) {
                socket.close();
                refusals.refused("refused a connection from " + from + ": " + describe(tls.cause()));
            } else {
                incoming(socket);
            }
        });
    }

    private void incoming(NetSocket socket) {
        Optional<String> user;
        try {
            user = userFor(socket.peerCertificates().get(0).getPublicKey().getEncoded());
        } catch (Exception e) {
            user = Optional.empty();
        }
        if (user.isEmpty()) {
            refusals.refused("refused a connection from " + socket.remoteAddress() + ": no consented key");
            socket.close();
            return;
        }
        DirectLink link = new DirectLink(vertx, socket, codec, events(null, null));
        String expected = user.get();
        link.expectPeer(expected, claimed -> refusals.refused("refused " + socket.remoteAddress() + ": it claimed to be "
                + claimed + " with " + expected + "'s key"));
        link.send(new PeerFrame.Hello(me));
    }

    /** {@code dialer} and {@code dialed} are set for links we dialed, null for incoming ones. */
    private DirectLink.Events events(NetClient dialer, String dialed) {
        return new DirectLink.Events() {
            @Override
            public void hello(DirectLink link, String user) {
                targets.computeIfPresent(key(user), (x, t) -> t.backoff(FIRST_RETRY_MILLIS));
                DirectLink previous = links.put(key(user), link);
                if (previous != null && previous != link) {
                    previous.close("replaced by a newer link");
                }
                listener.linkUp(user, link.address(), dialer != null);
            }

            @Override
            public void frame(DirectLink link, PeerFrame frame) {
                listener.received(link.peer(), frame);
            }

            @Override
            public void closed(DirectLink link, String why) {
                if (dialer != null) {
                    dialer.close();
                }
                if (link.peer() != null && links.remove(key(link.peer()), link)) {
                    listener.linkDown(link.peer(), why);
                    retryLater(link.peer());
                } else if (link.peer() == null && dialed != null) {
                    // The peer turned us away after the connection opened (TLS 1.3 can do that): a failed dial.
                    listener.dialFailed(dialed, link.address() + ": " + why);
                    retryLater(dialed);
                } else if (link.peer() == null) {
                    refusals.refused("dropped a connection from " + link.address() + ": " + why);
                }
            }
        };
    }

    private static String key(String user) {
        return user.toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof java.nio.channels.ClosedChannelException) {
            return "closed before the TLS handshake was done";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
