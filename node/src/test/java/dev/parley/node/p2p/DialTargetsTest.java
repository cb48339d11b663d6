package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.protocol.Candidate;
import dev.parley.node.time.ManualNodeClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dialing a consented peer: dialers in priority order, the first link wins, a failed round is
 * reported with its last error and retried with backoff on the manual clock, and a peer with
 * nothing left to try, forgotten or already linked is not dialed.
 */
class DialTargetsTest {
    private final ManualNodeClock clock = new ManualNodeClock();
    private final AcceptedKeys accepted = new AcceptedKeys();
    private final AtomicBoolean linked = new AtomicBoolean();
    private final List<String> reports = new ArrayList<>();
    /** Which dialer dialed, in order. */
    private final List<String> dials = new ArrayList<>();

    @BeforeEach
    void consent() {
        accepted.accept("bob", new byte[] {1, 2, 3});
    }

    private DialTargets targets(FakeDialer... dialers) {
        return new DialTargets(clock, List.of(dialers), accepted, user -> linked.get(),
                (user, why) -> reports.add(user + ": " + why));
    }

    @Test
    void dialersAreTriedByPriorityAndTheFirstLinkWins() {
        DialTargets targets = targets(new FakeDialer("relay", 200).succeeding(), new FakeDialer("tcp", 10).failing("tcp: refused"),
                new FakeDialer("punch", 20).succeeding());
        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));

        assertEquals(List.of("tcp", "punch"), dials, "best first, and no further than the first link");
        assertEquals(List.of(), reports);
        assertEquals(0, clock.manual().pendingTimers(), "no retry while the link says hello");
    }

    @Test
    void aRoundThatFailsIsReportedWithEveryRoutesErrorAndRetriedBackingOff() {
        DialTargets targets = targets(new FakeDialer("punch", 20).failing("punch: no answer"),
                new FakeDialer("tcp", 10).failing("tcp: refused"));
        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));
        assertEquals(List.of("tcp", "punch"), dials);
        assertEquals(List.of("bob: tcp: refused; punch: no answer"), reports, "one report per round, with each route's error");

        for (long seconds : new long[] {2, 4, 8, 16, 30, 30}) {
            int before = dials.size();
            clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
            assertEquals(before, dials.size(), "not before " + seconds + " s");
            clock.advance(Duration.ofMillis(1));
            assertEquals(before + 2, dials.size(), "again after " + seconds + " s");
        }
        assertEquals(7, reports.size());
    }

    @Test
    void aLinkUpStopsDialingAndResetsTheBackoff() {
        DialTargets targets = targets(new FakeDialer("tcp", 10).failing("tcp: refused"));
        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(2, dials.size());

        // bob dialed us meanwhile: the retry due in 4 s finds the link up.
        linked.set(true);
        targets.connected("bob");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(2, dials.size(), "no dial while a link is up");

        linked.set(false);
        targets.lost("bob");
        clock.advance(Duration.ofMillis(1999));
        assertEquals(2, dials.size());
        clock.advance(Duration.ofMillis(1));
        assertEquals(3, dials.size(), "a lost link is dialed again after the first delay, not the last one");
    }

    @Test
    void aConnectionTurnedAwayAfterItOpenedIsAFailedDialRetriedLater() {
        DialTargets targets = targets(new FakeDialer("tcp", 10).succeeding());
        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));
        targets.failedAfterConnect("bob", "10.0.0.2:4000: connection closed");
        assertEquals(List.of("bob: 10.0.0.2:4000: connection closed"), reports);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(2, dials.size());
    }

    @Test
    void aRouteWithNothingLeftIsSkippedAndWhenNoneIsLeftThePeerIsNotDialedAgain() {
        FakeDialer tcp = new FakeDialer("tcp", 10).failing("tcp: not a Parley node");
        DialTargets targets = targets(new FakeDialer("punch", 5).exhausted("no punch server"), tcp);
        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));
        assertEquals(List.of("tcp"), dials, "the exhausted route is not dialed");

        tcp.usedUpByNextDial = Optional.of("none answers");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("bob: tcp: not a Parley node", "bob: tcp: not a Parley node"), reports,
                "the round that used up the last route is reported with its error");
        assertEquals(List.of("tcp", "tcp"), dials);
        clock.advance(Duration.ofMinutes(5));
        assertEquals(2, dials.size(), "not dialed again until a new introduction");

        targets.dial("bob", List.of(Candidate.local("10.0.0.3:4000")));
        assertEquals(3, dials.size(), "a new introduction brings new routes");
    }

    @Test
    void whenNoDialerHasAnythingToTryThatIsReportedAtOnce() {
        DialTargets targets = targets(new FakeDialer("tcp", 10).exhausted("no address to dial"),
                new FakeDialer("punch", 20).exhausted("no punch server"));
        targets.dial("bob", List.of());
        assertEquals(List.of("bob: no address to dial; no punch server"), reports);
        assertEquals(List.of(), dials);
        assertEquals(0, clock.manual().pendingTimers());
    }

    @Test
    void aNetworkChangeDialsAPeerWithoutALinkAtOnceAndStartsItsBackoffAgain() {
        DialTargets targets = targets(new FakeDialer("tcp", 10).failing("tcp: refused"));
        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));
        for (long seconds : new long[] {2, 4, 8, 16}) {
            clock.advance(Duration.ofSeconds(seconds));
        }
        assertEquals(5, dials.size(), "backed off to 30 s by now");

        targets.retryNow();
        assertEquals(6, dials.size(), "dialed at once");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(7, dials.size(), "and then after the first delay again, not the longest");
    }

    @Test
    void aForgottenPeerOrOneWhoseConsentEndedIsNotDialedAgain() {
        DialTargets targets = targets(new FakeDialer("tcp", 10).failing("tcp: refused"));
        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));
        targets.forget("Bob");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, dials.size());

        targets.dial("bob", List.of(Candidate.local("10.0.0.2:4000")));
        accepted.forget("bob");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(2, dials.size(), "no key to hold the peer to, no dial");
    }

    /** A dialer whose every attempt ends the same way, recording when it is used. */
    private final class FakeDialer implements Dialer {
        private final String name;
        private final int priority;
        private Optional<String> failure = Optional.empty();
        /** Why a new route has nothing to try, if it has not. */
        private Optional<String> nothingLeft = Optional.empty();
        /** Set: the next attempt uses up what its route had left to try, for this reason. */
        Optional<String> usedUpByNextDial = Optional.empty();

        FakeDialer(String name, int priority) {
            this.name = name;
            this.priority = priority;
        }

        FakeDialer failing(String why) {
            failure = Optional.of(why);
            return this;
        }

        FakeDialer succeeding() {
            failure = Optional.empty();
            return this;
        }

        FakeDialer exhausted(String why) {
            nothingLeft = Optional.of(why);
            return this;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Route route(String user, List<Candidate> candidates) {
            return new Route() {
                private Optional<String> left = nothingLeft;

                @Override
                public Optional<String> exhausted() {
                    return left;
                }

                @Override
                public Future<PeerLink> dial(byte[] encodedKey) {
                    dials.add(name);
                    if (usedUpByNextDial.isPresent()) {
                        left = usedUpByNextDial;
                        usedUpByNextDial = Optional.empty();
                    }
                    return failure.<Future<PeerLink>>map(Future::failedFuture)
                            .orElseGet(() -> Future.succeededFuture(new FakeLink(user, name, (l, why) -> { })));
                }
            };
        }
    }
}
