package dev.parley.node.p2p;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.tls.PinnedTrustManager;
import dev.parley.node.trust.ServerTrust;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Asks the rendezvous which address and port this node's P2P port maps to: one HTTPS
 * {@code GET /api/observed-address} sent <em>from the P2P listener's own port</em>, so that a NAT
 * maps it as it maps the listener's (an endpoint-independent NAT reuses that mapping for peers).
 * It connects with a {@link ListenerPortBootstrap}. TLS trusts the server exactly as the session does (the
 * pinned fingerprint, or the CAs with the host name checked). The answer is read by
 * {@link HttpReply}, at most {@value HttpReply#MAX_BYTES} bytes, within {@value #TIMEOUT_SECONDS} s.
 */
public final class ObservedAddress {
    static final int TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final String serverHost;
    private final int serverPort;
    private final Optional<SslContext> tls;
    /** Signed by a CA: the certificate must also name the server, as for the session (a pin needs no name). */
    private final boolean checkHostName;
    private final InetSocketAddress from;
    private final ObjectMapper json = ProtocolCodec.strict(new ObjectMapper());

    /**
     * @param vertx      whose (NIO) event loops it runs on, and whose workers look up a server name
     * @param tlsTrust   how the server is trusted, or empty for a plain (development) server
     * @param listenHost the P2P listener's host, and {@code listenPort} its bound port: the request leaves from there
     */
    public ObservedAddress(Vertx vertx, String serverHost, int serverPort, Optional<ServerTrust.Decision> tlsTrust,
            String listenHost, int listenPort) {
        this.vertx = vertx;
        this.serverHost = serverHost;
        this.serverPort = serverPort;
        this.tls = tlsTrust.map(ObservedAddress::context);
        this.checkHostName = tlsTrust.isPresent() && !(tlsTrust.get() instanceof ServerTrust.Decision.Pinned);
        this.from = new InetSocketAddress(listenHost, listenPort);
    }

    private static SslContext context(ServerTrust.Decision trust) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (trust instanceof ServerTrust.Decision.Pinned pinned) {
                builder.trustManager(new PinnedTrustManager(pinned.fingerprint()));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
        }
    }

    /** Asks once with this session token; completes with the address as {@code host:port}. */
    public Future<String> ask(String token) {
        return resolve().compose(server -> ask(server, token));
    }

    /** The server's address: a literal at once, a name looked up off the event loop. */
    private Future<InetAddress> resolve() {
        if (DialCandidates.isLiteral(serverHost)) {
            return DialCandidates.literal(serverHost).map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture("not an IP address: " + serverHost));
        }
        return vertx.executeBlocking(() -> InetAddress.getByName(serverHost), false);
    }

    private Future<String> ask(InetAddress server, String token) {
        Promise<String> result = Promise.promise();
        Bootstrap bootstrap = ListenerPortBootstrap.create(vertx, TIMEOUT_SECONDS * 1000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new ReadTimeoutHandler(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                        tls.ifPresent(context -> channel.pipeline().addLast(sslHandler(context, channel)));
                        channel.pipeline().addLast(new Reader(result));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(new InetSocketAddress(server, serverPort), from);
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                result.tryFail(describe(done.cause()));
                return;
            }
            Channel channel = connecting.channel();
            String request = "GET " + Api.OBSERVED_ADDRESS + " HTTP/1.1\r\nHost: " + hostHeader() + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
            channel.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII)).addListener(written -> {
                if (!written.isSuccess()) {
                    result.tryFail(describe(written.cause()));
                    channel.close();
                }
            });
            // After an answer the server closes (we asked it to), so the TIME_WAIT stays on its side and
            // the next ask can leave from this port at once; the answer counts once it has closed
            // (Reader), and the read timeout closes a server that does not.
            result.future().onFailure(ignored -> channel.close());
        });
        return result.future();
    }

    private SslHandler sslHandler(SslContext context, Channel channel) {
        SslHandler handler = context.newHandler(channel.alloc(), serverHost, serverPort);
        if (checkHostName) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    private String hostHeader() {
        String host = serverHost.contains(":") ? "[" + serverHost + "]" : serverHost;
        return host + ":" + serverPort;
    }

    /** Collects the answer until {@link HttpReply} has all of it, and turns it into an address. */
    private final class Reader extends SimpleChannelInboundHandler<ByteBuf> {
        private final Promise<String> result;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        /**
         * The address answered, kept until the server closes the connection: only then is the
         * address pair free for the next ask from this port (asked at once, it would find the
         * connection still open and could not connect).
         */
        private String answered;

        Reader(Promise<String> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf chunk) {
            if (received.size() + chunk.readableBytes() > HttpReply.MAX_BYTES) {
                result.tryFail("the server's answer is larger than " + HttpReply.MAX_BYTES + " bytes");
                ctx.close();
                return;
            }
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.readBytes(bytes);
            received.writeBytes(bytes);
            read(false);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (answered == null) {
                read(true);
            }
            if (answered != null) {
                result.tryComplete(answered);
            }
            result.tryFail("the server closed the connection without an answer");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (answered == null) {
                result.tryFail(describe(cause));
            }
            ctx.close(); // with an answer, a server that did not close in time: the answer stands
        }

        private void read(boolean ended) {
            if (result.future().isComplete() || answered != null) {
                return;
            }
            try {
                HttpReply.parse(received.toByteArray(), ended).ifPresent(this::answer);
            } catch (IllegalArgumentException e) {
                result.tryFail("unreadable answer from the server: " + e.getMessage());
            }
        }

        private void answer(HttpReply reply) {
            if (reply.status() != 200) {
                result.tryFail("the server answered HTTP " + reply.status());
                return;
            }
            try {
                answered = json.readValue(reply.body(), Api.ObservedAddress.class).hostPort();
            } catch (IOException | IllegalArgumentException e) {
                result.tryFail("unreadable answer from the server");
            }
        }
    }

    private static String describe(Throwable cause) {
        if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
            return "no answer in " + TIMEOUT_SECONDS + " s";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
