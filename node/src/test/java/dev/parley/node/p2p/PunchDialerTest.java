package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.protocol.Candidate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a hole punch is the way to a peer: only when its public address is all it offers, and not ours. */
class PunchDialerTest {
    private static final Candidate OBSERVED = new Candidate(Candidate.Type.observed, "203.0.113.11:40000");
    private static final Candidate LOCAL = Candidate.local("10.0.1.10:40000");

    @Test
    void aPeerObservedAtAnotherPublicAddressIsPunchedTo() {
        assertEquals(Optional.empty(), PunchDialer.whyNot("ann", List.of(OBSERVED, LOCAL), false, Optional.of("203.0.113.12")));
        assertEquals(Optional.empty(), PunchDialer.whyNot("ann", List.of(OBSERVED), false, Optional.empty()));
    }

    @Test
    void aPeerThatOffersAMappedOrAdvertisedAddressIsDialedPlainly() {
        Candidate mapped = new Candidate(Candidate.Type.mapped, "203.0.113.11:40000");
        assertEquals(Optional.of("no punch needed: ann offers the mapped address 203.0.113.11:40000"),
                PunchDialer.whyNot("ann", List.of(mapped, OBSERVED, LOCAL), false, Optional.of("203.0.113.12")));
        Candidate advertised = new Candidate(Candidate.Type.advertised, "198.51.100.7:7000");
        assertEquals(Optional.of("no punch needed: ann offers the advertised address 198.51.100.7:7000"),
                PunchDialer.whyNot("ann", List.of(OBSERVED, advertised), false, Optional.empty()));
    }

    @Test
    void aPeerBehindOurOwnAddressOrWithoutAPublicOneIsNot() {
        assertEquals(Optional.of("no punch needed: ann is behind our own public address"),
                PunchDialer.whyNot("ann", List.of(OBSERVED, LOCAL), false, Optional.of("203.0.113.11")));
        assertEquals(Optional.of("no public address of ann to punch to"),
                PunchDialer.whyNot("ann", List.of(LOCAL), false, Optional.empty()));
    }
}
