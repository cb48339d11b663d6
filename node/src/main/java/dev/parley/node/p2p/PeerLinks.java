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
import io.vertx.core.net.TrustOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's direct links: a TLS 1.3 listener that accepts only peers whose identity key the
 * server vouched for after consent, dialing of a consented peer's candidate addresses, and one
 * live link per peer.
 */
public final class PeerLinks implements DirectPath {
    static final int DIAL_TIMEOUT_MILLIS = 3000;
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
    private volatile String me;
    /** user → the encoded key the server vouched for, while consent stands. */
    private final Map<String, byte[]> accepted = new ConcurrentHashMap<>();
    private final Map<String, DirectLink> links = new ConcurrentHashMap<>();
    /** Peers we dial (they consented to us): where, and how long to wait before the next try. */
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    private record Target(String user, String key, List<String> addresses, long backoffMillis) {
    }

    static final long FIRST_RETRY_MILLIS = 2000;
    static final long MAX_RETRY_MILLIS = 60_000;
    private NetServer server;

    public PeerLinks(Vertx vertx, Identity identity, ProtocolCodec codec, Listener listener) {
        this.vertx = vertx;
        this.identity = identity;
        this.codec = codec;
        this.listener = listener;
    }

    /** Who we are, for our hellos. */
    public void me(String user) {
        this.me = user;
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> listen(String host, int port) {
        NetServerOptions options = new NetServerOptions()
                .setHost(host).setPort(port)
                .setSsl(true).setEnabledSecureTransportProtocols(TLS13)
                .setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
                .setTrustOptions(TrustOptions.wrap(new PeerKeyTrust(this::isAccepted)))
                .setSslHandshakeTimeout(10);
        server = vertx.createNetServer(options);
        server.exceptionHandler(e -> listener.refused("refused a connection: " + describe(e)));
        server.connectHandler(this::incoming);
        return server.listen().map(NetServer::actualPort);
    }

    /** Consent given by us: this user may connect, holding this key. */
    public void expect(String user, String encodedKey) {
        accepted.put(user.toLowerCase(java.util.Locale.ROOT), IdentityKeys.decode(encodedKey).getEncoded());
    }

    /** Consent given to us: dial the candidates in order until one answers as the vouched key. */
    public void dial(String user, String encodedKey, List<String> addresses) {
        expect(user, encodedKey);
        targets.put(user.toLowerCase(java.util.Locale.ROOT), new Target(user, encodedKey, List.copyOf(addresses), FIRST_RETRY_MILLIS));
        attempt(user);
    }

    private void attempt(String user) {
        String k = user.toLowerCase(java.util.Locale.ROOT);
        Target target = targets.get(k);
        if (target == null || isUp(k)) {
            return;
        }
        List<String> addresses = target.addresses();
        byte[] key = accepted.get(k);
        if (key == null) {
            return;
        }
        NetClient client = vertx.createNetClient(new NetClientOptions()
                .setSsl(true).setEnabledSecureTransportProtocols(TLS13)
                .setHostnameVerificationAlgorithm("")
                .setConnectTimeout(DIAL_TIMEOUT_MILLIS)
                .setSslHandshakeTimeout(DIAL_TIMEOUT_MILLIS / 1000)
                .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
                .setTrustOptions(TrustOptions.wrap(PeerKeyTrust.exactly(key))));
        tryNext(client, user, addresses, 0, "no address to dial");
    }

    private void tryNext(NetClient client, String user, List<String> addresses, int index, String lastError) {
        if (index >= addresses.size()) {
            client.close();
            listener.dialFailed(user, lastError);
            retryLater(user);
            return;
        }
        String address = addresses.get(index);
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        client.connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
                tryNext(client, user, addresses, index + 1, address + ": " + describe(ar.cause()));
                return;
            }
            DirectLink link = new DirectLink(vertx, ar.result(), codec, events(client, user));
            link.expectPeer(user, claimed -> { });
            link.send(new PeerFrame.Hello(me));
        });
    }

    @Override
    public boolean isUp(String user) {
        DirectLink link = links.get(user.toLowerCase(java.util.Locale.ROOT));
        return link != null && link.isOpen();
    }

    /** Sends over the link if there is one; false if there is none. */
    @Override
    public boolean send(String user, PeerFrame frame) {
        DirectLink link = links.get(user.toLowerCase(java.util.Locale.ROOT));
        if (link == null || !link.isOpen()) {
            return false;
        }
        link.send(frame);
        return true;
    }

    /** Dials again later, backing off, while consent stands and no link is up. */
    private void retryLater(String user) {
        String k = user.toLowerCase(java.util.Locale.ROOT);
        Target t = targets.computeIfPresent(k, (x, old) ->
                new Target(old.user(), old.key(), old.addresses(), Math.min(MAX_RETRY_MILLIS, old.backoffMillis() * 2)));
        if (t != null) {
            vertx.setTimer(t.backoffMillis() / 2, id -> attempt(user));
        }
    }

    /** Closes the link (if any) and stops accepting the peer: consent is over. */
    public void forget(String user, String why) {
        String k = user.toLowerCase(java.util.Locale.ROOT);
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

    private void incoming(NetSocket socket) {
        Optional<String> user;
        try {
            user = userFor(socket.peerCertificates().get(0).getPublicKey().getEncoded());
        } catch (Exception e) {
            user = Optional.empty();
        }
        if (user.isEmpty()) {
            listener.refused("refused a connection from " + socket.remoteAddress() + ": no consented key");
            socket.close();
            return;
        }
        DirectLink link = new DirectLink(vertx, socket, codec, events(null, null));
        String expected = user.get();
        link.expectPeer(expected, claimed -> listener.refused("refused " + socket.remoteAddress() + ": it claimed to be "
                + claimed + " with " + expected + "'s key"));
        link.send(new PeerFrame.Hello(me));
    }

    /** {@code dialer} and {@code dialed} are set for links we dialed, null for incoming ones. */
    private DirectLink.Events events(NetClient dialer, String dialed) {
        return new DirectLink.Events() {
            @Override
            public void hello(DirectLink link, String user) {
                targets.computeIfPresent(user.toLowerCase(java.util.Locale.ROOT), (x, t) ->
                        new Target(t.user(), t.key(), t.addresses(), FIRST_RETRY_MILLIS));
                DirectLink previous = links.put(user.toLowerCase(java.util.Locale.ROOT), link);
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
                if (link.peer() != null && links.remove(link.peer().toLowerCase(java.util.Locale.ROOT), link)) {
                    listener.linkDown(link.peer(), why);
                    retryLater(link.peer());
                } else if (link.peer() == null && dialed != null) {
                    // The peer turned us away after the connection opened (TLS 1.3 can do that): a failed dial.
                    listener.dialFailed(dialed, link.address() + ": " + why);
                    retryLater(dialed);
                } else if (link.peer() == null) {
                    listener.refused("dropped a connection from " + link.address() + ": " + why);
                }
            }
        };
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
