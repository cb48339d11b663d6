package dev.parley.rendezvous.consent;

import static dev.parley.rendezvous.consent.PeerFixture.answer;
import static dev.parley.rendezvous.consent.PeerFixture.askOk;
import static dev.parley.rendezvous.consent.PeerFixture.newKey;
import static dev.parley.testsupport.SessionClient.assertErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.consent.PeerFixture.Peer;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.TestClock;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** getaddress and consent: nobody's address or key is handed out without that person's yes. */
@QuarkusTest
class ConsentTest {
    @Inject
    TestClock clock;

    @RegisterExtension
    final Sessions sessions = new Sessions();

    private final PeerFixture peers = new PeerFixture(sessions);

    private ServerMessage.Error ask(Peer from, String to) {
        String id = from.ws().nextId();
        from.ws().send(new ClientMessage.GetAddress(id, to));
        return from.ws().error(id);
    }

    @Test
    void consentIntroducesBothSidesAndOnlyTheAskerDials() {
        Peer alice = peers.peer("alice", 40001, List.of("127.0.0.1:40001"));
        Peer bob = peers.peer("bob", 40002, List.of("192.0.2.7:40002"));
        askOk(alice, bob);
        alice.ws().assertNone(ServerMessage.Introduction.class, i -> true); // nothing before bob says yes

        answer(bob, new ClientMessage.Consent(bob.ws().nextId(), alice.name()));
        ServerMessage.Introduction toAlice = alice.ws().await(ServerMessage.Introduction.class, i -> i.user().equals(bob.name()));
        assertEquals(bob.key(), toAlice.identityKey());
        assertEquals(IdentityKeys.fingerprint(bob.key()), toAlice.fingerprint());
        assertEquals(List.of(Candidate.local("192.0.2.7:40002"), new Candidate(Candidate.Type.observed, "127.0.0.1:40002")),
                toAlice.candidates(), "announced candidates, then the address the server sees");
        assertTrue(toAlice.dial());
        assertFalse(toAlice.keyChanged());

        ServerMessage.Introduction toBob = bob.ws().await(ServerMessage.Introduction.class, i -> i.user().equals(alice.name()));
        assertEquals(alice.key(), toBob.identityKey());
        assertEquals(List.of(Candidate.local("127.0.0.1:40001")), toBob.candidates(),
                "the consenting side learns the asker's addresses, to punch a hole towards them "
                        + "(the observed one is the same here, so it is not added twice)");
        assertFalse(toBob.dial());
    }

    @Test
    void impossibleRequestsAreRefusedAtOnce() {
        Peer alice = peers.peer("alice", 40011, List.of());
        Peer bob = peers.peer("bob", 40012, List.of());
        Peer carol = peers.peer("carol", 40013, List.of());
        String offline = Users.register(Users.fresh("dave"));

        assertErrorCode("no-such-user", ask(alice, Users.fresh("ghost")));
        assertErrorCode("self", ask(alice, alice.name()));
        ServerMessage.Error off = ask(alice, offline);
        assertErrorCode("offline", off);
        assertEquals(offline + " is offline", off.message());

        String blk = bob.ws().nextId();
        bob.ws().send(new ClientMessage.Block(blk, alice.name()));
        bob.ws().reply(ServerMessage.Ok.class, blk);
        assertErrorCode("blocked", ask(alice, bob.name()));
        assertErrorCode("blocked", ask(bob, alice.name()));
        carol.ws().assertNone(ServerMessage.ConsentRequest.class, r -> true);

        SessionClient silent = sessions.online(Users.register(Users.fresh("erin"))); // never announces
        assertErrorCode("no-identity", ask(alice, silent.name()));
    }

    @Test
    void denyExpiryAndAnswersWithoutARequest() {
        Peer alice = peers.peer("alice", 40021, List.of());
        Peer bob = peers.peer("bob", 40022, List.of());

        String stray = bob.ws().nextId();
        bob.ws().send(new ClientMessage.Consent(stray, alice.name()));
        assertErrorCode("not-asked", bob.ws().error(stray));

        askOk(alice, bob);
        assertErrorCode("already-asked", ask(alice, bob.name()));
        answer(bob, new ClientMessage.Deny(bob.ws().nextId(), alice.name()));
        ServerMessage.ConsentRefused denied = alice.ws().await(ServerMessage.ConsentRefused.class, r -> true);
        assertEquals(ServerMessage.RefusalReason.denied, denied.reason());
        alice.ws().assertNone(ServerMessage.Introduction.class, i -> true);

        // A denial stands for a while: asking again at once is refused, and allowed once it lapses.
        ServerMessage.Error again = ask(alice, bob.name());
        assertErrorCode("rate-limited", again);
        assertTrue(again.message().contains("denied your last request"), again.message());
        clock.advance(Duration.ofSeconds(301));
        askOk(alice, bob);
        clock.advance(Duration.ofSeconds(61));
        ServerMessage.ConsentRefused expired = alice.ws().await(ServerMessage.ConsentRefused.class, r -> true);
        assertEquals(ServerMessage.RefusalReason.expired, expired.reason());
        assertEquals(bob.name() + " did not answer your request for a direct link in 60 s", expired.message());
        String late = bob.ws().nextId();
        bob.ws().send(new ClientMessage.Consent(late, alice.name()));
        assertErrorCode("not-asked", bob.ws().error(late));
    }

    @Test
    void stopprivateAndBlockWithdrawConsentOnBothSides() {
        Peer alice = peers.peer("alice", 40031, List.of());
        Peer bob = peers.peer("bob", 40032, List.of());
        askOk(alice, bob);
        answer(bob, new ClientMessage.Consent(bob.ws().nextId(), alice.name()));
        alice.ws().await(ServerMessage.Introduction.class, i -> true);

        String stop = alice.ws().nextId();
        alice.ws().send(new ClientMessage.StopPrivate(stop, bob.name()));
        alice.ws().reply(ServerMessage.Ok.class, stop);
        ServerMessage.PrivateStopped stopped = bob.ws().await(ServerMessage.PrivateStopped.class, p -> true);
        assertEquals(alice.name(), stopped.user());
        String again = alice.ws().nextId();
        alice.ws().send(new ClientMessage.StopPrivate(again, bob.name()));
        assertErrorCode("no-link", alice.ws().error(again));

        askOk(bob, alice);
        answer(alice, new ClientMessage.Consent(alice.ws().nextId(), bob.name()));
        bob.ws().await(ServerMessage.Introduction.class, i -> true);
        String blk = alice.ws().nextId();
        alice.ws().send(new ClientMessage.Block(blk, bob.name()));
        alice.ws().reply(ServerMessage.Ok.class, blk);
        assertEquals(alice.name(), bob.ws().await(ServerMessage.PrivateStopped.class, p -> true).user());
    }

    @Test
    void aChangedIdentityKeyIsFlaggedAtTheNextIntroduction() {
        Peer alice = peers.peer("alice", 40041, List.of());
        Peer bob = peers.peer("bob", 40042, List.of());
        askOk(alice, bob);
        answer(bob, new ClientMessage.Consent(bob.ws().nextId(), alice.name()));
        assertFalse(alice.ws().await(ServerMessage.Introduction.class, i -> true).keyChanged());

        bob.ws().close();
        Peer newBob = peers.online(bob.name(), 40042, List.of(), newKey()); // reinstalled: a new key
        askOk(alice, newBob);
        answer(newBob, new ClientMessage.Consent(newBob.ws().nextId(), alice.name()));
        ServerMessage.Introduction again = alice.ws().await(ServerMessage.Introduction.class, i -> true);
        assertTrue(again.keyChanged(), "alice is warned: bob's key is not the one she was introduced to");
        assertEquals(newBob.key(), again.identityKey());
        assertFalse(newBob.ws().await(ServerMessage.Introduction.class, i -> true).keyChanged());
    }

    @Test
    void fingerprintShowsTheKeyTheServerVouchesFor() {
        Peer alice = peers.peer("alice", 40051, List.of());
        Peer bob = peers.peer("bob", 40052, List.of());
        String id = alice.ws().nextId();
        alice.ws().send(new ClientMessage.Fingerprint(id, bob.name()));
        ServerMessage.FingerprintInfo info = alice.ws().reply(ServerMessage.FingerprintInfo.class, id);
        assertEquals(IdentityKeys.fingerprint(bob.key()), info.fingerprint());
        String unknown = alice.ws().nextId();
        alice.ws().send(new ClientMessage.Fingerprint(unknown, Users.fresh("ghost")));
        assertErrorCode("no-such-user", alice.ws().error(unknown));
        String keyless = alice.ws().nextId();
        alice.ws().send(new ClientMessage.Fingerprint(keyless, Users.register(Users.fresh("carol"))));
        assertErrorCode("no-identity", alice.ws().error(keyless));
    }

    @Test
    void badAnnouncementsAreRefused() {
        SessionClient a = sessions.online(Users.register(Users.fresh("alice")));
        a.sendRaw("{\"type\":\"announce\",\"id\":\"k1\",\"identityKey\":\"bm90IGEga2V5\"}");
        assertEquals("not an Ed25519 identity key", a.error("k1").message());
        a.sendRaw("{\"type\":\"announce\",\"id\":\"k2\",\"identityKey\":\"" + newKey() + "\",\"candidates\":[{\"type\":\"local\",\"address\":\"nohost\"}]}");
        assertErrorCode("invalid", a.error("k2"));
        a.sendRaw("{\"type\":\"announce\",\"id\":\"k3\",\"identityKey\":\"" + newKey() + "\",\"p2pPort\":70000}");
        assertErrorCode("invalid", a.error("k3"));
    }
}
