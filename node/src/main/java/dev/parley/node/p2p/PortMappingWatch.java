package dev.parley.node.p2p;

import dev.parley.node.time.NodeClock;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps a port mapping of the P2P listener on the home router while the node is online, for its
 * {@code mapped} candidate: asks at each (re)login for {@link #LIFETIME}, renews at half the
 * lifetime granted, and withdraws the mapping at logout. A router that never granted one (most
 * do not speak NAT-PMP) is not asked again until the next login; once one was granted, a failed
 * renewal is tried again every {@link #RETRY} (the router may be restarting), and the mapping is
 * dropped when its lifetime ends. Each change is told to the node, which announces it. Timers
 * come from the injected {@link NodeClock}.
 */
public final class PortMappingWatch {
    static final Duration LIFETIME = Duration.ofHours(2);
    static final Duration RETRY = Duration.ofMinutes(1);
    /** However short a lifetime the router grants, it is not asked more often than this. */
    static final Duration SHORTEST_RENEWAL = Duration.ofSeconds(10);

    private final NodeClock clock;
    private final PortMapper mapper;
    private final int port;
    private Consumer<Optional<String>> changed = address -> { };
    private Optional<String> current = Optional.empty();
    private long expiresAt;
    /** Whether this router granted a mapping since the last release: then a failure is worth retrying. */
    private boolean grantedBefore;
    private NodeClock.Timer next;
    /** Bumped by each start, pause and release, so an answer to an older round is ignored. */
    private long round;

    PortMappingWatch(NodeClock clock, PortMapper mapper, int port) {
        this.clock = clock;
        this.mapper = mapper;
        this.port = port;
    }

    /**
     * A watch that asks the default gateway with NAT-PMP for a mapping of the listener at
     * {@code listenHost:port}; none for a listener on loopback (local use: there is nothing to map).
     */
    public static Optional<PortMappingWatch> natPmp(Vertx vertx, NodeClock clock, String listenHost, int port) {
        InetAddress host;
        try {
            host = InetAddress.getByName(listenHost);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        if (host.isLoopbackAddress()) {
            return Optional.empty();
        }
        // NAT-PMP is IPv4: requests leave from the listener's IPv4 address, or any.
        String bindHost = host instanceof java.net.Inet4Address ? host.getHostAddress() : "0.0.0.0";
        return Optional.of(new PortMappingWatch(clock, NatPmpClient.ofDefaultGateway(vertx, clock, bindHost), port));
    }

    /**
     * Online (again): asks now, then keeps the mapping. {@code changed} is told the mapped address
     * ({@code host:port}) each time it differs from the last one told, and empty when it is lost.
     */
    public synchronized void start(Consumer<Optional<String>> changed) {
        this.changed = changed;
        stopTimer();
        ask(++round);
    }

    /** Offline: no more asking until the next start; the mapping stays until its lifetime ends. */
    public synchronized void pause() {
        round++;
        stopTimer();
    }

    /** Logged out: the router is asked to delete the mapping (best effort). */
    public void release() {
        boolean held;
        synchronized (this) {
            round++;
            stopTimer();
            held = current().isPresent();
            current = Optional.empty();
            grantedBefore = false;
        }
        if (held) {
            mapper.unmap(port);
        }
    }

    /** The mapped address while the mapping lasts. */
    public synchronized Optional<String> current() {
        return current.isPresent() && clock.nanoTime() - expiresAt < 0 ? current : Optional.empty();
    }

    private void ask(long mine) {
        mapper.map(port, LIFETIME).onComplete(answer -> {
            Optional<String> tell = null;
            Consumer<Optional<String>> to;
            synchronized (this) {
                to = changed;
                if (mine != round) {
                    return;
                }
                if (answer.succeeded()) {
                    PortMapper.Granted granted = answer.result();
                    Optional<String> before = current();
                    current = Optional.of(granted.address());
                    grantedBefore = true;
                    expiresAt = clock.nanoTime() + granted.lifetime().toNanos();
                    if (!before.equals(current)) {
                        tell = current;
                    }
                    Duration half = granted.lifetime().dividedBy(2);
                    schedule(mine, half.compareTo(SHORTEST_RENEWAL) < 0 ? SHORTEST_RENEWAL : half);
                } else if (grantedBefore) {
                    // Keep trying; once the lifetime is over, peers can no longer use it.
                    if (current.isPresent() && current().isEmpty()) {
                        current = Optional.empty();
                        tell = current;
                    }
                    schedule(mine, RETRY);
                }
                // Never granted: this router does not map ports; nothing more until the next start.
            }
            if (tell != null) {
                to.accept(tell);
            }
        });
    }

    private void schedule(long mine, Duration delay) {
        next = clock.schedule(delay, () -> {
            synchronized (this) {
                if (mine != round) {
                    return;
                }
            }
            ask(mine);
        });
    }

    private void stopTimer() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }
}
