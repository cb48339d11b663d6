package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.node.time.ManualNodeClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When the watch asks the router, and what it tells the node: at each start, again at half the
 * lifetime granted, a retry only for a router that granted one before, the mapping dropped when
 * its lifetime ends unrenewed, and deleted at release.
 */
class PortMappingWatchTest {
    private static final int PORT = 40000;
    private final ManualNodeClock clock = new ManualNodeClock();
    private final List<String> asked = new ArrayList<>();
    /** What the router answers next: a mapped address with its lifetime, or a failure. */
    private final List<Future<PortMapper.Granted>> answers = new ArrayList<>();
    private final List<Optional<String>> told = new ArrayList<>();
    private final PortMappingWatch watch = new PortMappingWatch(clock, new PortMapper() {
        @Override
        public Future<Granted> map(int port, Duration lifetime) {
            asked.add("map " + port + " for " + lifetime);
            return answers.isEmpty() ? Future.failedFuture("no answer") : answers.remove(0);
        }

        @Override
        public Future<Void> unmap(int port) {
            asked.add("unmap " + port);
            return Future.succeededFuture();
        }
    }, PORT);

    private void grants(String address, Duration lifetime) {
        answers.add(Future.succeededFuture(new PortMapper.Granted(address, lifetime)));
    }

    @Test
    void aGrantedMappingIsToldOnceRenewedAtHalfItsLifetimeAndDeletedAtRelease() {
        grants("203.0.113.11:40000", Duration.ofHours(1));
        watch.start(told::add);
        assertEquals(List.of("map 40000 for PT2H"), asked);
        assertEquals(List.of(Optional.of("203.0.113.11:40000")), told);
        assertEquals(Optional.of("203.0.113.11:40000"), watch.current());

        grants("203.0.113.11:40000", Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(29));
        assertEquals(1, asked.size(), "not before half the lifetime");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(2, asked.size(), "renewed at half the lifetime");
        assertEquals(1, told.size(), "the same address is not told again");

        grants("203.0.113.99:41000", Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(30));
        assertEquals(List.of(Optional.of("203.0.113.11:40000"), Optional.of("203.0.113.99:41000")), told, "a new address is");

        watch.release();
        assertEquals("unmap 40000", asked.get(asked.size() - 1));
        assertEquals(Optional.empty(), watch.current());
        clock.advance(Duration.ofHours(3));
        assertEquals(4, asked.size(), "nothing asked after release");
    }

    @Test
    void aRouterThatGrantsNothingIsNotAskedAgainUntilTheNextStart() {
        watch.start(told::add);
        clock.advance(Duration.ofHours(3));
        assertEquals(1, asked.size());
        assertEquals(List.of(), told);
        assertEquals(Optional.empty(), watch.current());

        watch.start(told::add);
        assertEquals(2, asked.size(), "asked again at the next login");
        watch.release();
        assertEquals(2, asked.size(), "nothing to delete");
    }

    @Test
    void aFailedRenewalIsRetriedAndTheMappingIsDroppedWhenItsLifetimeEnds() {
        grants("203.0.113.11:40000", Duration.ofMinutes(4));
        watch.start(told::add);
        clock.advance(Duration.ofMinutes(2)); // renewal fails
        assertEquals(2, asked.size());
        assertEquals(Optional.of("203.0.113.11:40000"), watch.current(), "still valid");
        clock.advance(PortMappingWatch.RETRY); // fails again, 3 min in
        assertEquals(3, asked.size());
        clock.advance(PortMappingWatch.RETRY); // 4 min: the lifetime is over
        assertEquals(4, asked.size());
        assertEquals(Optional.empty(), watch.current());
        assertEquals(List.of(Optional.of("203.0.113.11:40000"), Optional.empty()), told);

        grants("203.0.113.11:40000", Duration.ofMinutes(4));
        clock.advance(PortMappingWatch.RETRY);
        assertEquals(Optional.of("203.0.113.11:40000"), watch.current(), "the router is back");
        assertEquals(3, told.size());
    }

    @Test
    void pausedItAsksNothingAndTheNextStartRenewsAtOnce() {
        grants("203.0.113.11:40000", Duration.ofHours(2));
        watch.start(told::add);
        watch.pause();
        clock.advance(Duration.ofHours(1));
        assertEquals(1, asked.size(), "no renewal while offline");
        assertEquals(Optional.of("203.0.113.11:40000"), watch.current(), "the mapping still holds");

        grants("203.0.113.11:40000", Duration.ofHours(2));
        watch.start(told::add);
        assertEquals(2, asked.size());
        assertEquals(1, told.size(), "unchanged, not told again");
    }

    @Test
    void aShortLifetimeIsNotRenewedMoreOftenThanTheFloor() {
        grants("203.0.113.11:40000", Duration.ofSeconds(4));
        watch.start(told::add);
        clock.advance(Duration.ofSeconds(9));
        assertEquals(1, asked.size());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, asked.size());
    }
}
