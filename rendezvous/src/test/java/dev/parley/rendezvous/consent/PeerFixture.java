package dev.parley.rendezvous.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Users whose nodes announced an identity key, a P2P port and local candidates, over real
 * sessions of the test's {@link Sessions}; and the consent steps between them.
 */
final class PeerFixture {
    /** A logged-in user whose node announced a key and a listening port. */
    record Peer(String name, SessionClient ws, String key) {
    }

    private final Sessions sessions;

    PeerFixture(Sessions sessions) {
        this.sessions = sessions;
    }

    static String newKey() {
        try {
            return IdentityKeys.encode(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A new user, logged in, its node announced with a new key. */
    Peer peer(String stem, int port, List<String> localAddresses) {
        String name = Users.register(Users.fresh(stem));
        return online(name, port, localAddresses, newKey());
    }

    /** The user logged in (again), its node announced with {@code key}. */
    Peer online(String name, int port, List<String> localAddresses, String key) {
        return announce(new Peer(name, sessions.online(name), key), port, localAddresses);
    }

    /** The peer's node announces (again), with these local candidates. */
    static Peer announce(Peer peer, int port, List<String> localAddresses) {
        String id = peer.ws().nextId();
        peer.ws().send(new ClientMessage.Announce(id, peer.key(), port, localAddresses.stream().map(Candidate::local).toList(),
                false));
        peer.ws().reply(ServerMessage.Ok.class, id);
        return peer;
    }

    static void askOk(Peer from, Peer to) {
        String id = from.ws().nextId();
        from.ws().send(new ClientMessage.GetAddress(id, to.name()));
        assertEquals("asked " + to.name() + " for a direct link; waiting for consent",
                from.ws().reply(ServerMessage.Ok.class, id).message());
        ServerMessage.ConsentRequest request = to.ws().await(ServerMessage.ConsentRequest.class, r -> r.from().equals(from.name()));
        assertEquals(IdentityKeys.fingerprint(from.key()), request.fingerprint());
    }

    static void answer(Peer who, ClientMessage message) {
        String id = message instanceof ClientMessage.Consent c ? c.id() : ((ClientMessage.Deny) message).id();
        who.ws().send(message);
        who.ws().reply(ServerMessage.Ok.class, id);
    }

    /** {@code asker} asks, {@code target} consents, and both take their introduction: they are contacts. */
    static void contacts(Peer asker, Peer target) {
        askOk(asker, target);
        answer(target, new ClientMessage.Consent(target.ws().nextId(), asker.name()));
        asker.ws().await(ServerMessage.Introduction.class, i -> i.user().equals(target.name()));
        target.ws().await(ServerMessage.Introduction.class, i -> i.user().equals(asker.name()));
    }
}
