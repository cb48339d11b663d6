package dev.parley.node.p2p;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vertx.core.Vertx;
import java.net.StandardSocketOptions;

/**
 * A raw Netty client {@link Bootstrap} that can connect out from the P2P listener's own port: a
 * Vert.x client cannot choose its local port, and Linux lets the outgoing socket share the
 * listener's port only if both set {@code SO_REUSEPORT} (the listener does, {@link ReusePortTransport}).
 * It runs on the node's (NIO) event loops.
 */
final class ListenerPortBootstrap {
    private ListenerPortBootstrap() {
    }

    /** A bootstrap whose connects give up after {@code connectTimeoutMillis}; the caller adds the handler. */
    static Bootstrap create(Vertx vertx, int connectTimeoutMillis) {
        return new Bootstrap().group(vertx.nettyEventLoopGroup()).channel(NioSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }
}
