package dev.parley.node.p2p;

import static dev.parley.node.p2p.Futures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.PunchPhase;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hole punch end to end on loopback, the test playing the server that passes signals on
 * (with the sender's {@code observed} candidate). Loopback has no NAT, so each side's dial reaches
 * the other's listener as well as crossing: exactly the case where only the TLS client's dial may
 * make the link, or both ends would keep different connections.
 */
class HolePunchTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Vertx vertx;
    private Identity aliceId;
    private Identity bobId;
    private final RecordingListener aliceHears = new RecordingListener();
    private final RecordingListener bobHears = new RecordingListener();
    private final List<String> passedOn = new CopyOnWriteArrayList<>();
    private PeerLinks alice;
    private PeerLinks bob;
    private int alicePort;
    private int bobPort;

    @BeforeEach
    void twoNodesAndAServer() throws Exception {
        // The listener must share its port with the punch's dials: SO_REUSEPORT, as the node's Vert.x has it.
        vertx = ReusePortTransport.vertx(new VertxOptions());
        aliceId = Identity.loadOrCreate(dir.resolve("alice"), w -> { });
        bobId = Identity.loadOrCreate(dir.resolve("bob"), w -> { });
        ProtocolCodec codec = new ProtocolCodec();
        alice = new PeerLinks(vertx, NodeClock.of(vertx), aliceId, codec, aliceHears);
        bob = new PeerLinks(vertx, NodeClock.of(vertx), bobId, codec, bobHears);
        alice.me("alice");
        bob.me("bob");
        alicePort = await(alice.listen("127.0.0.1", 0));
        bobPort = await(bob.listen("127.0.0.1", 0));
        aliceHears.signals = (user, phase, nonce) -> pass("alice", alicePort, bob, phase, nonce);
        bobHears.signals = (user, phase, nonce) -> pass("bob", bobPort, alice, phase, nonce);
    }

    private void pass(String from, int fromPort, PeerLinks to, PunchPhase phase, String nonce) {
        passedOn.add(from + " " + phase);
        to.punchSignal(new ServerMessage.PunchSignal(from, phase, nonce, observed(fromPort)));
    }

    private static List<Candidate> observed(int port) {
        return List.of(new Candidate(Candidate.Type.observed, "127.0.0.1:" + port));
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        await(vertx.close());
    }

    @Test
    void contactsPunchThroughCoordinatedByTheServerAndBothSeeOnePunchedLink() throws Exception {
        bob.expect("alice", aliceId.encodedPublicKey());
        alice.dial("bob", bobId.encodedPublicKey(), observed(bobPort));

        assertTrue(aliceHears.next(WAIT).matches("up bob .* punched"), aliceHears.reports.toString());
        assertTrue(bobHears.next(WAIT).matches("up alice .* punched"), bobHears.reports.toString());
        assertEquals(List.of("alice connect", "bob ready", "alice sync"), passedOn);
        assertEquals(java.util.Optional.of(LinkHow.PUNCHED), alice.status("bob").how());

        assertTrue(alice.send("bob", new PeerFrame.Chat("m1", 1, "hi", 0, false)));
        assertEquals("received alice Chat", bobHears.next(WAIT));
        assertTrue(bob.send("alice", new PeerFrame.Chat("m2", 1, "hi back", 0, false)));
        assertEquals("received bob Chat", aliceHears.next(WAIT));
        // One link each way, not two: nothing was replaced or dropped once the link was up.
        assertTrue(aliceHears.reports.stream().noneMatch(r -> r.startsWith("down")), aliceHears.reports.toString());
        assertTrue(bobHears.reports.stream().noneMatch(r -> r.startsWith("down")), bobHears.reports.toString());
    }

    @Test
    void aPunchFromSomeoneWhoIsNotAContactIsRefusedAndNotAnswered() throws Exception {
        bob.punchSignal(new ServerMessage.PunchSignal("mallory", PunchPhase.connect, "nonce-0001", observed(alicePort)));
        assertEquals("refused: ignored a punch from mallory: not a contact of this node", bobHears.next(WAIT));
        assertEquals(List.of(), passedOn);
    }

    @Test
    void signalsThatMatchNoPunchAreRefusedForgedOrReplayed() throws Exception {
        bob.expect("alice", aliceId.encodedPublicKey());
        // A ready and a sync nobody asked for.
        alice.punchSignal(new ServerMessage.PunchSignal("bob", PunchPhase.ready, "forged-0001", observed(bobPort)));
        assertEquals("refused: ignored a punch answer from bob: it matches no punch of this node", aliceHears.next(WAIT));
        bob.punchSignal(new ServerMessage.PunchSignal("alice", PunchPhase.sync, "forged-0002", observed(alicePort)));
        assertEquals("refused: ignored a punch from alice: it matches no punch of this node", bobHears.next(WAIT));

        // A connect replayed with the nonce of one already under way.
        bob.punchSignal(new ServerMessage.PunchSignal("alice", PunchPhase.connect, "replayed-01", observed(alicePort)));
        bob.punchSignal(new ServerMessage.PunchSignal("alice", PunchPhase.connect, "replayed-01", observed(alicePort)));
        assertEquals("refused: ignored a punch from alice: it repeats an earlier one", bobHears.next(WAIT));
        assertEquals(List.of("bob ready"), passedOn);
    }

    @Test
    void aContactThatProvesAnotherKeyGetsNoLink() throws Exception {
        // Alice was told bob holds carol's key: whoever answers must prove that, and bob cannot.
        Identity carolId = Identity.loadOrCreate(dir.resolve("carol"), w -> { });
        bob.expect("alice", aliceId.encodedPublicKey());
        alice.dial("bob", carolId.encodedPublicKey(), observed(bobPort));
        String failed = aliceHears.next(WAIT);
        assertTrue(failed.startsWith("failed bob: "), aliceHears.reports.toString());
        assertTrue(aliceHears.reports.stream().noneMatch(r -> r.startsWith("up")), aliceHears.reports.toString());
        assertTrue(bobHears.reports.stream().noneMatch(r -> r.startsWith("up")), bobHears.reports.toString());
    }

    @Test
    void aVouchedKeyThatIsOurOwnIsRefusedWithoutAnAttempt() throws Exception {
        bob.expect("alice", aliceId.encodedPublicKey());
        alice.dial("bob", aliceId.encodedPublicKey(), observed(bobPort));
        String failed = aliceHears.next(WAIT);
        assertTrue(failed.contains("is this node's own"), failed);
        assertTrue(passedOn.isEmpty() || !passedOn.contains("alice connect"), passedOn.toString());
    }
}
