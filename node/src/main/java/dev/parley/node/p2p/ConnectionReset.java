package dev.parley.node.p2p;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * Ends a connection with a reset, at once: SO_LINGER 0, closed below every handler. An orderly
 * close does not do for a link's connection when its peer is dead or both ends are P2P ports: the
 * Vert.x socket's close (which a close through the pipeline also turns into) waits until what is
 * queued is written, TLS first sends its close_notify, and a FIN leaves a TIME_WAIT on the address
 * pair (for a minute, even after the process ended) that keeps the next punch between the same two
 * ports from connecting.
 */
final class ConnectionReset {
    private ConnectionReset() {
    }

    static void reset(NetSocket socket) {
        if (socket instanceof NetSocketInternal internal) {
            reset(internal.channelHandlerContext().channel());
        } else {
            socket.close();
        }
    }

    static void reset(Channel channel) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        ChannelHandlerContext first = channel.pipeline().firstContext();
        if (first != null) {
            first.close();
        } else {
            channel.close();
        }
    }
}
