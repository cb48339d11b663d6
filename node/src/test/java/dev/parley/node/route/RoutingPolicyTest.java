package dev.parley.node.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.node.time.ManualNodeClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The routing decisions alone, with stand-in paths and a clock that moves only when told. */
class RoutingPolicyTest {
    private final ManualNodeClock clock = new ManualNodeClock();
    private final Set<String> linked = new HashSet<>();
    private final Path direct = new StandIn("direct") {
        @Override
        public boolean reaches(String peer) {
            return linked.contains(peer);
        }
    };
    private final Path relay = new StandIn("server");
    private final RoutingPolicy policy = new RoutingPolicy(direct, relay, clock);
    private long seq;

    @Test
    void directWhenTheLinkIsUpTheServerOtherwise() {
        assertEquals(List.of(relay), policy.paths(message("bob")));
        linked.add("bob");
        assertEquals(List.of(direct, relay), policy.paths(message("bob")), "the server if the link declines it");
    }

    @Test
    void privateMessagesHaveTheDirectPathOnlyLinkOrNot() {
        assertEquals(List.of(direct), policy.paths(privateMessage("bob")));
        linked.add("bob");
        assertEquals(List.of(direct), policy.paths(privateMessage("bob")));
    }

    @Test
    void directTrafficWaitsForTheServerToAnswerWhatItWasGivenAndNoLonger() {
        policy.sent(relay, message("bob"), new CompletableFuture<>()); // never answered
        linked.add("bob");
        linked.add("carol");
        assertEquals(List.of(relay), policy.paths(message("bob")), "held behind the unanswered one");
        assertEquals(List.of(direct, relay), policy.paths(message("carol")), "only traffic to that peer waits");

        clock.advance(Duration.ofNanos(RoutingPolicy.MAX_HOLD_NANOS));
        assertEquals(List.of(relay), policy.paths(message("bob")), "still within the hold");
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(direct, relay), policy.paths(message("bob")), "order yields to delivery after 5 s");
    }

    @Test
    void theHoldEndsAtOnceWhenTheServerHasAnsweredEverything() {
        CompletableFuture<MessageRouter.Outcome> first = new CompletableFuture<>();
        CompletableFuture<MessageRouter.Outcome> second = new CompletableFuture<>();
        policy.sent(relay, message("bob"), first);
        policy.sent(relay, message("bob"), second);
        linked.add("bob");
        first.complete(new MessageRouter.Outcome("bob", "1", "relay", "one"));
        assertEquals(List.of(relay), policy.paths(message("bob")), "one is still unanswered");
        second.completeExceptionally(MessageFailed.unconfirmed("bob", "2", "two", "no answer"));
        assertEquals(List.of(direct, relay), policy.paths(message("bob")), "a failure is an answer too");
    }

    @Test
    void messagesTakenByTheLinkHoldNothingBack() {
        linked.add("bob");
        policy.sent(direct, message("bob"), new CompletableFuture<>());
        assertEquals(List.of(direct, relay), policy.paths(message("bob")));
    }

    @Test
    void aLostLinksUnconfirmedMessagesAreRelayedOldestFirstAndPrivateOnesFail() {
        Outgoing m1 = message("bob");
        Outgoing secret = privateMessage("bob");
        Outgoing m3 = message("bob");
        Outgoing m4 = message("bob");
        RoutingPolicy.Rerouting plan = policy.linkLost(List.of(m4, secret, m1, m3));
        assertEquals(List.of(m1, m3, m4), plan.relay());
        assertEquals(List.of(secret), plan.fail(), "private messages are never relayed");
    }

    private Outgoing message(String to) {
        return new Outgoing(to, "m" + ++seq, seq, "text " + seq, false);
    }

    private Outgoing privateMessage(String to) {
        return new Outgoing(to, "m" + ++seq, seq, "secret " + seq, true);
    }

    /** A path that is never asked to send here: the policy only chooses. */
    private static class StandIn implements Path {
        private final String name;

        StandIn(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean reaches(String peer) {
            return true;
        }

        @Override
        public CompletableFuture<MessageRouter.Outcome> send(Outgoing message) {
            throw new AssertionError("the policy chooses paths, it does not send");
        }
    }
}
