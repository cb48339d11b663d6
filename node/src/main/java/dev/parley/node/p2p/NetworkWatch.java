package dev.parley.node.p2p;

import dev.parley.node.time.NodeClock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Notices when this machine's network changes (an address comes or goes: another Wi-Fi, a cable,
 * a VPN), by looking at its interface addresses every {@link #EVERY}. A change means the observed
 * address, the LAN candidates and every failed attempt to reach a peer are stale: whoever is told
 * finds them out again at once instead of waiting for the next refresh or retry. Timers come from
 * the injected {@link NodeClock}.
 */
public final class NetworkWatch {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final NodeClock clock;
    private final Supplier<Set<String>> addresses;
    private final Runnable changed;
    private Set<String> last;
    private NodeClock.Timer next;
    private boolean stopped;

    /**
     * @param addresses the machine's addresses now ({@link LocalAddresses#current})
     * @param changed   told after each change
     */
    public NetworkWatch(NodeClock clock, Supplier<Set<String>> addresses, Runnable changed) {
        this.clock = clock;
        this.addresses = addresses;
        this.changed = changed;
    }

    /** Takes the addresses as they are now and watches them from here on. */
    public synchronized void start() {
        last = addresses.get();
        stopped = false;
        schedule();
    }

    public synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    private synchronized void schedule() {
        if (!stopped) {
            next = clock.schedule(EVERY, this::check);
        }
    }

    private void check() {
        Set<String> now = addresses.get();
        boolean differs;
        synchronized (this) {
            if (stopped) {
                return;
            }
            differs = !now.equals(last);
            last = now;
        }
        if (differs) {
            changed.run();
        }
        schedule();
    }
}
