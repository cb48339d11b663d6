package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.node.time.ManualNodeClock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A change of the machine's addresses is told once, when the next look sees it; nothing else is. */
class NetworkWatchTest {
    @Test
    void anAddressThatComesOrGoesIsToldOnceAtTheNextLook() {
        ManualNodeClock clock = new ManualNodeClock();
        AtomicReference<Set<String>> addresses = new AtomicReference<>(Set.of("127.0.0.1", "10.0.1.10"));
        AtomicInteger changes = new AtomicInteger();
        NetworkWatch watch = new NetworkWatch(clock, addresses::get, changes::incrementAndGet);
        watch.start();

        clock.advance(NetworkWatch.EVERY.multipliedBy(3));
        assertEquals(0, changes.get(), "no change, nothing told");

        addresses.set(Set.of("127.0.0.1", "192.168.5.20"));
        clock.advance(NetworkWatch.EVERY.minusMillis(1));
        assertEquals(0, changes.get(), "not before the next look");
        clock.advance(java.time.Duration.ofMillis(1));
        assertEquals(1, changes.get());
        clock.advance(NetworkWatch.EVERY.multipliedBy(2));
        assertEquals(1, changes.get(), "told once per change");

        addresses.set(Set.of("127.0.0.1"));
        clock.advance(NetworkWatch.EVERY);
        assertEquals(2, changes.get(), "an address that goes is a change too");

        watch.stop();
        addresses.set(Set.of("127.0.0.1", "10.9.9.9"));
        clock.advance(NetworkWatch.EVERY.multipliedBy(2));
        assertEquals(2, changes.get(), "stopped: nothing more");
    }
}
