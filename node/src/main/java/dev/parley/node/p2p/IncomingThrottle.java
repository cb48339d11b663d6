package dev.parley.node.p2p;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which incoming connections get as far as a TLS handshake. Checked when the connection is
 * accepted, before any cryptography: a connection over a limit is closed at once and costs almost
 * nothing. Limits, per remote address and for all together, with a burst first:
 * <ul>
 *   <li>{@value #PER_HOST_BURST} connections at once from one address, then {@value #PER_HOST_PER_SECOND} a second;</li>
 *   <li>{@value #ALL_BURST} at once from everyone, then {@value #ALL_PER_SECOND} a second;</li>
 *   <li>at most {@value #MAX_HANDSHAKING} handshakes in progress (each has 10 s to finish).</li>
 * </ul>
 * A peer dials once per link and retries every few seconds at most, far below these.
 */
final class IncomingThrottle {
    static final int PER_HOST_BURST = 10;
    static final int PER_HOST_PER_SECOND = 2;
    static final int ALL_BURST = 30;
    static final int ALL_PER_SECOND = 10;
    static final int MAX_HANDSHAKING = 32;
    /** Addresses remembered; the least recently seen is forgotten first (the global limit still holds). */
    static final int MAX_HOSTS = 4096;

    private final LongSupplier nanoClock;
    private final TokenBucket all;
    private final Map<String, TokenBucket> hosts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_HOSTS;
        }
    };
    private int handshaking;

    IncomingThrottle(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.all = new TokenBucket(ALL_PER_SECOND, ALL_BURST, nanoClock);
    }

    /** Whether a connection from {@code host} may start a handshake; if so, call {@link #handshakeDone} after it. */
    synchronized boolean admit(String host) {
        if (handshaking >= MAX_HANDSHAKING) {
            return false;
        }
        TokenBucket mine = hosts.computeIfAbsent(host, h -> new TokenBucket(PER_HOST_PER_SECOND, PER_HOST_BURST, nanoClock));
        if (mine.available() < 1 || all.available() < 1) {
            return false;
        }
        mine.take(1);
        all.take(1);
        handshaking++;
        return true;
    }

    synchronized void handshakeDone() {
        handshaking--;
    }
}
