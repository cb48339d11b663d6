package dev.parley.node.p2p;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How peers speak TLS, both ends alike: TLS 1.3 only, each side presenting a certificate made from
 * its identity key and trusting only a key the server vouched for ({@link PeerKeyTrust}), no CA
 * and no host name check. TLS is started on the connected socket, not on connect: the listener
 * first lets the {@link IncomingThrottle} judge a connection, and a dialer tells an address that
 * cannot be reached from one that answers otherwise than as a Parley node.
 */
final class PeerTls {
    static final Set<String> TLS13 = Set.of("TLSv1.3");
    /** How long a handshake may take, either way: a busy peer's first handshake can be slow. */
    static final int HANDSHAKE_SECONDS = 10;

    private PeerTls() {
    }

    /** The listener's side: a client certificate is required and must hold an accepted key. */
    static NetServerOptions server(Identity identity, Predicate<byte[]> acceptedKey) {
        return new NetServerOptions()
                .setSsl(false).setEnabledSecureTransportProtocols(TLS13)
                .setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
                .setTrustOptions(TrustOptions.wrap(new PeerKeyTrust(acceptedKey)))
                .setSslHandshakeTimeout(HANDSHAKE_SECONDS);
    }

    /** The dialer's side: the peer must hold exactly {@code encodedKey}. */
    static NetClientOptions client(Identity identity, byte[] encodedKey) {
        return new NetClientOptions()
                .setSsl(false).setEnabledSecureTransportProtocols(TLS13)
                .setHostnameVerificationAlgorithm("")
                .setSslHandshakeTimeout(HANDSHAKE_SECONDS)
                .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
                .setTrustOptions(TrustOptions.wrap(PeerKeyTrust.exactly(encodedKey)));
    }

    /** A failure as the user reads it. */
    static String describe(Throwable t) {
        if (t instanceof ClosedChannelException) {
            return "closed before the TLS handshake was done";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
