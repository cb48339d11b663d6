package dev.parley.node.p2p;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.impl.transports.JDKTransport;
import io.vertx.core.net.NetServerOptions;
import java.net.StandardSocketOptions;

/**
 * Vert.x's NIO transport, except that a server asking for {@code SO_REUSEPORT}
 * ({@link NetServerOptions#setReusePort}) gets it: Vert.x 4.5 applies that option only with its
 * native (epoll) transport, and quietly ignores it on NIO. The P2P listener needs it so that
 * {@link ObservedAddress} can connect out from the listener's own port (Linux lets two sockets share
 * a port only if both set it). The node's Vert.x is made here for that reason.
 */
public final class ReusePortTransport extends JDKTransport {

    /** A Vert.x whose servers honour {@code SO_REUSEPORT} on NIO. */
    public static Vertx vertx(VertxOptions options) {
        return new VertxBuilder(options).findTransport(new ReusePortTransport()).init().vertx();
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        super.configure(options, domainSocket, bootstrap);
        if (options.isReusePort() && !domainSocket) {
            bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
    }
}
