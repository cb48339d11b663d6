package dev.parley.node.p2p;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketImpl;
import io.vertx.core.net.impl.VertxHandler;

/**
 * A Vert.x {@link NetSocket} over a channel that raw Netty connected ({@link SimultaneousOpen}: a
 * Vert.x client cannot connect out from the listener's port), so a punched connection becomes a
 * link like any other. It does what Vert.x's own client does with a new channel, through Vert.x's
 * internal API ({@code VertxHandler}, {@code NetSocketImpl}): like {@link ReusePortTransport}, a
 * thing to check on a Vert.x upgrade. The socket's context runs on the channel's own event loop.
 */
final class PunchedSocket {
    private PunchedSocket() {
    }

    /**
     * Wraps {@code channel} (auto-read off, so nothing it received is lost) and turns reading on.
     * Completes with the socket once it is in the pipeline.
     */
    static Future<NetSocket> wrap(Vertx vertx, Channel channel) {
        Promise<NetSocket> result = Promise.promise();
        ContextInternal context = ((VertxInternal) vertx).createEventLoopContext(channel.eventLoop(), null,
                PunchedSocket.class.getClassLoader());
        VertxHandler<NetSocketImpl> handler = VertxHandler.create(ctx -> new NetSocketImpl(context, ctx, null, null, false));
        handler.addHandler(result::tryComplete);
        channel.eventLoop().execute(() -> {
            try {
                channel.pipeline().addLast("handler", handler);
                channel.config().setAutoRead(true);
            } catch (RuntimeException e) {
                channel.close();
                result.tryFail(e);
            }
        });
        return result.future();
    }
}
