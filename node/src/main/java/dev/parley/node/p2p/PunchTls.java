package dev.parley.node.p2p;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * TLS on a hole-punched connection, where both ends dialed and neither is the client by nature:
 * each end takes the role {@link TlsRole} gives it. Otherwise it is the links' TLS
 * ({@link PeerTls}): TLS 1.3 only, a certificate from the identity key each way, and only the
 * one key the server vouched for is trusted. The handler goes straight into the Netty pipeline,
 * since a Vert.x socket can start TLS only in the role it was opened in.
 */
final class PunchTls {
    static final String HANDLER_NAME = "ssl";

    private PunchTls() {
    }

    /** A handler for {@code role} that trusts only {@code peerKey} (its SPKI encoding). */
    static SslHandler handler(Identity identity, byte[] peerKey, TlsRole role, Channel channel) throws SSLException {
        SslContextBuilder builder = role == TlsRole.CLIENT
                ? SslContextBuilder.forClient().keyManager(identity.keyManager())
                : SslContextBuilder.forServer(identity.keyManager()).clientAuth(ClientAuth.REQUIRE);
        SslContext context = builder.sslProvider(SslProvider.JDK)
                .protocols(PeerTls.TLS13.toArray(String[]::new))
                .trustManager(PeerKeyTrust.exactly(peerKey))
                .build();
        SslHandler handler = context.newHandler(channel.alloc());
        handler.setHandshakeTimeout(PeerTls.HANDSHAKE_SECONDS, TimeUnit.SECONDS);
        return handler;
    }

    /** Puts the handler first in the pipeline; completes when its handshake is done. */
    static Future<Void> start(ChannelPipeline pipeline, SslHandler handler) {
        Promise<Void> done = Promise.promise();
        pipeline.addFirst(HANDLER_NAME, handler);
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                done.tryComplete();
            } else {
                done.tryFail(f.cause());
            }
        });
        return done.future();
    }
}
