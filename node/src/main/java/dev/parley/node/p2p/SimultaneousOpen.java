package dev.parley.node.p2p;

import dev.parley.node.time.NodeClock;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * TCP simultaneous open, the hole punch: connects from the P2P listener's own port to a peer's
 * candidate again and again for a bounded window, while the peer does the same toward us. Each
 * side's SYN opens its own router's mapping; once both are open the SYNs cross and the kernel joins
 * them into one connection. If a SYN of the peer's finds no attempt of ours under way, our listener
 * accepts it instead (and our attempts to that address then fail): a caller must take such an
 * accepted connection from the peer as the punch's result too. Attempts are
 * sequential (two sockets cannot hold the same address pair), at least {@code interval} apart, each
 * given up after {@code attemptTimeout}; the interval and the window run on the injected
 * {@link NodeClock}. It only makes the TCP connection: TLS ({@link TlsRole}) and the link are the
 * caller's.
 */
public final class SimultaneousOpen {
    public static final Duration INTERVAL = Duration.ofMillis(200);
    public static final Duration WINDOW = Duration.ofSeconds(5);
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final NodeClock clock;
    private final InetSocketAddress local;
    private final Duration interval;
    private final Duration window;
    private final Duration attemptTimeout;

    /** With the default {@link #INTERVAL}, {@link #WINDOW} and {@link #ATTEMPT_TIMEOUT}. */
    public SimultaneousOpen(Vertx vertx, NodeClock clock, InetSocketAddress local) {
        this(vertx, clock, local, INTERVAL, WINDOW, ATTEMPT_TIMEOUT);
    }

    /**
     * @param vertx whose (NIO) event loops the connects run on
     * @param local the P2P listener's address and port: every attempt leaves from there
     */
    public SimultaneousOpen(Vertx vertx, NodeClock clock, InetSocketAddress local, Duration interval, Duration window,
            Duration attemptTimeout) {
        if (interval.isNegative() || interval.isZero() || window.compareTo(interval) < 0 || attemptTimeout.isNegative()
                || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("need 0 < interval <= window and a positive attempt timeout");
        }
        this.vertx = vertx;
        this.clock = clock;
        this.local = local;
        this.interval = interval;
        this.window = window;
        this.attemptTimeout = attemptTimeout;
    }

    /**
     * Tries to connect to {@code peer} within the window. Completes with the connected channel, its
     * auto-read off so nothing the peer sends is lost: add the handlers, then turn auto-read on. Fails
     * with the last attempt's reason once the window has passed.
     */
    public Future<Channel> open(InetSocketAddress peer) {
        Promise<Channel> result = Promise.promise();
        attempt(peer, clock.nanoTime(), result);
        return result.future();
    }

    private void attempt(InetSocketAddress peer, long start, Promise<Channel> result) {
        long began = clock.nanoTime();
        long left = window.toNanos() - (began - start);
        int timeoutMillis = (int) Math.max(1, Math.min(attemptTimeout.toMillis(), Duration.ofNanos(left).toMillis()));
        ChannelFuture connecting = ListenerPortBootstrap.create(vertx, timeoutMillis)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(peer, local);
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(connecting.channel());
                return;
            }
            long next = began + interval.toNanos();
            // No attempt is started with less than an interval of the window left: it could only
            // time out at once, and its "timed out after 1 ms" would hide the reason that counts.
            if (next - start > window.toNanos() - interval.toNanos()) {
                result.fail("no connection to " + peer + " in " + window.toMillis() + " ms: " + reason(done.cause()));
                return;
            }
            clock.schedule(Duration.ofNanos(Math.max(0, next - clock.nanoTime())), () -> attempt(peer, start, result));
        });
    }

    private static String reason(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
