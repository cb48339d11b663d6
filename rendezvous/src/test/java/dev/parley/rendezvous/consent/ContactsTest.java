package dev.parley.rendezvous.consent;

import static dev.parley.rendezvous.consent.PeerFixture.announce;
import static dev.parley.rendezvous.consent.PeerFixture.contacts;
import static dev.parley.rendezvous.consent.PeerFixture.newKey;
import static dev.parley.testsupport.SessionClient.assertErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.PunchPhase;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.consent.PeerFixture.Peer;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Standing consent: two users who consented once are contacts until {@code stopprivate} or
 * {@code block}; whenever one of them announces while the other is online, both are introduced
 * again and the one that announced dials; between contacts the server passes on punch steps.
 */
@QuarkusTest
class ContactsTest {
    @Inject
    MeterRegistry meters;

    @RegisterExtension
    final Sessions sessions = new Sessions();

    private final PeerFixture peers = new PeerFixture(sessions);

    private static ServerMessage.Introduction introduction(Peer to, Peer about) {
        return to.ws().await(ServerMessage.Introduction.class, i -> i.user().equals(about.name()));
    }

    /** The peer logs out and its session closes. */
    private static void logout(Peer peer) {
        peer.ws().send(new ClientMessage.Logout(null));
        peer.ws().awaitClosed();
    }

    private static ServerMessage.Error punchRefused(Peer from, String to) {
        String id = from.ws().nextId();
        from.ws().send(new ClientMessage.Punch(id, to, PunchPhase.connect, "refused-attempt"));
        return from.ws().error(id);
    }

    private static List<ServerMessage.Contact> contactList(Peer peer) {
        String id = peer.ws().nextId();
        peer.ws().send(new ClientMessage.ListContacts(id));
        return peer.ws().reply(ServerMessage.ContactList.class, id).contacts();
    }

    @Test
    void consentStandsAcrossLogoutsAndTheNodeThatComesOnlineDials() {
        Peer alice = peers.peer("alice", 41001, List.of("192.0.2.1:41001"));
        Peer bob = peers.peer("bob", 41002, List.of("192.0.2.2:41002"));
        contacts(alice, bob);
        logout(alice);
        logout(bob);

        Peer aliceAgain = peers.online(alice.name(), 41001, List.of("192.0.2.11:41001"), alice.key());
        aliceAgain.ws().assertNone(ServerMessage.Introduction.class, i -> true); // bob is offline
        Peer bobAgain = peers.online(bob.name(), 41002, List.of("192.0.2.12:41002"), bob.key());

        ServerMessage.Introduction toBob = introduction(bobAgain, aliceAgain);
        assertTrue(toBob.dial(), "bob just came online: he dials");
        assertEquals(alice.key(), toBob.identityKey());
        assertEquals(IdentityKeys.fingerprint(alice.key()), toBob.fingerprint());
        assertFalse(toBob.keyChanged());
        assertEquals(List.of(Candidate.local("192.0.2.11:41001"), new Candidate(Candidate.Type.observed, "127.0.0.1:41001")),
                toBob.candidates(), "alice's announced candidates, then where the server sees her");

        ServerMessage.Introduction toAlice = introduction(aliceAgain, bobAgain);
        assertFalse(toAlice.dial());
        assertEquals(bob.key(), toAlice.identityKey());
        assertEquals(List.of(Candidate.local("192.0.2.12:41002"), new Candidate(Candidate.Type.observed, "127.0.0.1:41002")),
                toAlice.candidates(), "alice gets bob's candidates too, to punch towards him");

        // Changed candidates are announced again: both are introduced again, the announcing side dials.
        announce(aliceAgain, 41001, List.of("192.0.2.21:41001"));
        ServerMessage.Introduction again = introduction(aliceAgain, bobAgain);
        assertTrue(again.dial());
        assertEquals(List.of(Candidate.local("192.0.2.12:41002"), new Candidate(Candidate.Type.observed, "127.0.0.1:41002")),
                again.candidates());
        ServerMessage.Introduction bobHears = introduction(bobAgain, aliceAgain);
        assertFalse(bobHears.dial());
        assertEquals(Candidate.local("192.0.2.21:41001"), bobHears.candidates().get(0));
    }

    @Test
    void aContactWithANewKeyIsFlaggedWhenItComesBack() {
        Peer alice = peers.peer("alice", 41011, List.of());
        Peer bob = peers.peer("bob", 41012, List.of());
        contacts(alice, bob);
        bob.ws().close();

        String newKey = newKey(); // bob reinstalled his node
        Peer newBob = peers.online(bob.name(), 41012, List.of(), newKey);
        ServerMessage.Introduction toAlice = introduction(alice, newBob);
        assertTrue(toAlice.keyChanged(), "not the key alice was introduced to");
        assertEquals(newKey, toAlice.identityKey());
        assertFalse(introduction(newBob, alice).keyChanged());
    }

    @Test
    void onlyOnlineAnnouncedContactsAreIntroduced() {
        Peer carol = peers.peer("carol", 41021, List.of());
        carol.ws().assertNone(ServerMessage.Introduction.class, i -> true); // no contacts: nothing

        Peer alice = peers.peer("alice", 41022, List.of());
        Peer bob = peers.peer("bob", 41023, List.of());
        contacts(alice, bob);
        logout(bob);
        Peer bobAgain = new Peer(bob.name(), sessions.online(bob.name()), bob.key()); // has not announced yet
        announce(alice, 41022, List.of());
        alice.ws().assertNone(ServerMessage.Introduction.class, i -> true);
        bobAgain.ws().assertNone(ServerMessage.Introduction.class, i -> true);

        announce(bobAgain, 41023, List.of());
        assertTrue(introduction(bobAgain, alice).dial());
        assertFalse(introduction(alice, bobAgain).dial());
        carol.ws().assertNone(ServerMessage.Introduction.class, i -> true);
    }

    @Test
    void stopprivateEndsTheStandingConsent() {
        Peer alice = peers.peer("alice", 41031, List.of());
        Peer bob = peers.peer("bob", 41032, List.of());
        contacts(alice, bob);
        String stop = bob.ws().nextId();
        bob.ws().send(new ClientMessage.StopPrivate(stop, alice.name()));
        bob.ws().reply(ServerMessage.Ok.class, stop);
        alice.ws().await(ServerMessage.PrivateStopped.class, p -> p.user().equals(bob.name()));

        logout(alice);
        Peer aliceAgain = peers.online(alice.name(), 41031, List.of(), alice.key());
        aliceAgain.ws().assertNone(ServerMessage.Introduction.class, i -> true);
        bob.ws().assertNone(ServerMessage.Introduction.class, i -> true);
        assertErrorCode("no-link", punchRefused(aliceAgain, bob.name()));
        assertErrorCode("no-link", punchRefused(bob, alice.name()));
        assertEquals(List.of(), contactList(bob));
    }

    @Test
    void blockEndsTheStandingConsentAndUnblockDoesNotBringItBack() {
        Peer alice = peers.peer("alice", 41041, List.of());
        Peer bob = peers.peer("bob", 41042, List.of());
        contacts(alice, bob);
        String blk = alice.ws().nextId();
        alice.ws().send(new ClientMessage.Block(blk, bob.name()));
        alice.ws().reply(ServerMessage.Ok.class, blk);
        bob.ws().await(ServerMessage.PrivateStopped.class, p -> p.user().equals(alice.name()));
        assertErrorCode("blocked", punchRefused(bob, alice.name()));

        String unblk = alice.ws().nextId();
        alice.ws().send(new ClientMessage.Unblock(unblk, bob.name()));
        alice.ws().reply(ServerMessage.Ok.class, unblk);
        logout(bob);
        Peer bobAgain = peers.online(bob.name(), 41042, List.of(), bob.key());
        bobAgain.ws().assertNone(ServerMessage.Introduction.class, i -> true);
        alice.ws().assertNone(ServerMessage.Introduction.class, i -> true);
        assertErrorCode("no-link", punchRefused(bobAgain, alice.name()));
        assertEquals(List.of(), contactList(alice));
    }

    @Test
    void aPunchGoesToTheContactOnlyWithTheSendersCandidates() {
        Peer alice = peers.peer("alice", 41051, List.of("192.0.2.51:41051"));
        Peer bob = peers.peer("bob", 41052, List.of("192.0.2.52:41052"));
        Peer carol = peers.peer("carol", 41053, List.of());
        contacts(alice, bob);
        contacts(alice, carol);

        alice.ws().send(new ClientMessage.Punch(null, bob.name(), PunchPhase.connect, "attempt-0001"));
        ServerMessage.PunchSignal signal = bob.ws().await(ServerMessage.PunchSignal.class, s -> true);
        assertEquals(new ServerMessage.PunchSignal(alice.name(), PunchPhase.connect, "attempt-0001",
                List.of(Candidate.local("192.0.2.51:41051"), new Candidate(Candidate.Type.observed, "127.0.0.1:41051"))),
                signal);
        alice.ws().assertNone(ServerMessage.class, m -> m instanceof ServerMessage.Reply); // no id: no answer at all
        carol.ws().assertNone(ServerMessage.PunchSignal.class, s -> true);

        announce(alice, 41051, List.of("192.0.2.61:41051")); // her candidates changed since
        String ready = bob.ws().nextId();
        bob.ws().send(new ClientMessage.Punch(ready, alice.name(), PunchPhase.ready, "attempt-0001"));
        assertEquals("passed on ready to " + alice.name(), bob.ws().reply(ServerMessage.Ok.class, ready).message());
        assertEquals(List.of(Candidate.local("192.0.2.52:41052"), new Candidate(Candidate.Type.observed, "127.0.0.1:41052")),
                alice.ws().await(ServerMessage.PunchSignal.class, s -> s.from().equals(bob.name())).candidates());
        alice.ws().send(new ClientMessage.Punch(null, bob.name(), PunchPhase.sync, "attempt-0001"));
        assertEquals(Candidate.local("192.0.2.61:41051"),
                bob.ws().await(ServerMessage.PunchSignal.class, s -> s.phase() == PunchPhase.sync).candidates().get(0),
                "the sender's candidates as the server knows them now");
    }

    @Test
    void aPunchIsRefusedUnlessTheContactIsThereToTakeIt() {
        Peer alice = peers.peer("alice", 41061, List.of());
        Peer bob = peers.peer("bob", 41062, List.of());
        Peer stranger = peers.peer("carol", 41063, List.of());
        contacts(alice, bob);

        ServerMessage.Error notContact = punchRefused(stranger, alice.name());
        assertErrorCode("no-link", notContact);
        assertEquals(alice.name() + " is not your contact; ask with getaddress first", notContact.message());
        alice.ws().assertNone(ServerMessage.PunchSignal.class, s -> true);
        assertErrorCode("no-such-user", punchRefused(alice, Users.fresh("ghost")));
        assertErrorCode("self", punchRefused(alice, alice.name()));

        logout(bob);
        assertErrorCode("offline", punchRefused(alice, bob.name()));
        SessionClient silent = sessions.online(bob.name()); // online, but its node has not announced
        assertErrorCode("offline", punchRefused(alice, bob.name()));
        silent.assertNone(ServerMessage.PunchSignal.class, s -> true);

        SessionClient keyless = sessions.online(alice.name()); // alice's node reconnects and has not announced yet
        String id = keyless.nextId();
        keyless.send(new ClientMessage.Punch(id, bob.name(), PunchPhase.connect, "attempt-0002"));
        assertErrorCode("no-identity", keyless.error(id));
    }

    @Test
    void punchesAreRateLimitedPerPairAndDirection() {
        Peer alice = peers.peer("alice", 41071, List.of());
        Peer bob = peers.peer("bob", 41072, List.of());
        Peer carol = peers.peer("carol", 41073, List.of());
        contacts(alice, bob);
        contacts(alice, carol);
        double limitedBefore = punchesLimited();

        for (int i = 0; i < 20; i++) {
            String id = alice.ws().nextId();
            alice.ws().send(new ClientMessage.Punch(id, bob.name(), PunchPhase.connect, "attempt-" + 1000 + i));
            alice.ws().reply(ServerMessage.Ok.class, id);
        }
        ServerMessage.Error limited = punchRefused(alice, bob.name());
        assertErrorCode("rate-limited", limited);
        assertTrue(limited.message().startsWith("too many punches to " + bob.name() + "; try again in "), limited.message());
        assertEquals(limitedBefore + 1, punchesLimited());
        for (int i = 0; i < 20; i++) {
            bob.ws().await(ServerMessage.PunchSignal.class, s -> true);
        }
        bob.ws().assertNone(ServerMessage.PunchSignal.class, s -> true); // the refused one was not passed on

        String toCarol = alice.ws().nextId();
        alice.ws().send(new ClientMessage.Punch(toCarol, carol.name(), PunchPhase.connect, "attempt-2000"));
        alice.ws().reply(ServerMessage.Ok.class, toCarol);
        String back = bob.ws().nextId();
        bob.ws().send(new ClientMessage.Punch(back, alice.name(), PunchPhase.ready, "attempt-1000"));
        bob.ws().reply(ServerMessage.Ok.class, back);
    }

    private double punchesLimited() {
        Counter counter = meters.find("parley.rate.limited").tag("kind", "punch").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void contactsAreListedByNameWithPresenceAndFingerprint() {
        Peer alice = peers.peer("alice", 41081, List.of());
        Peer zed = peers.peer("zed", 41082, List.of());
        Peer bob = peers.peer("bob", 41083, List.of());
        Peer stranger = peers.peer("carol", 41084, List.of());
        assertEquals(List.of(), contactList(alice));
        contacts(zed, alice);
        contacts(alice, bob);
        logout(zed);

        assertEquals(List.of(new ServerMessage.Contact(bob.name(), true, IdentityKeys.fingerprint(bob.key())),
                new ServerMessage.Contact(zed.name(), false, IdentityKeys.fingerprint(zed.key()))), contactList(alice));
        assertEquals(List.of(new ServerMessage.Contact(alice.name(), true, IdentityKeys.fingerprint(alice.key()))),
                contactList(bob));
        assertEquals(List.of(), contactList(stranger));
    }
}
