package dev.parley.node.p2p;

import static dev.parley.node.p2p.Futures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The façade wired end to end on loopback: consent, a dialed link up on both sides, frames, the end of consent. */
class PeerLinksTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Vertx vertx;
    private Identity aliceId;
    private Identity bobId;
    private final RecordingListener aliceHears = new RecordingListener();
    private final RecordingListener bobHears = new RecordingListener();
    private PeerLinks alice;
    private PeerLinks bob;
    private int bobPort;

    @BeforeEach
    void twoNodes() throws Exception {
        vertx = Vertx.vertx();
        aliceId = Identity.loadOrCreate(dir.resolve("alice"), w -> { });
        bobId = Identity.loadOrCreate(dir.resolve("bob"), w -> { });
        ProtocolCodec codec = new ProtocolCodec();
        alice = new PeerLinks(vertx, NodeClock.of(vertx), aliceId, codec, aliceHears);
        bob = new PeerLinks(vertx, NodeClock.of(vertx), bobId, codec, bobHears);
        alice.me("alice");
        bob.me("bob");
        await(alice.listen("127.0.0.1", 0));
        bobPort = await(bob.listen("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        await(vertx.close());
    }

    @Test
    void aConsentedPeerIsDialedBothSidesSeeTheLinkAndItEndsWithConsent() throws Exception {
        bob.expect("alice", aliceId.encodedPublicKey());
        alice.dial("bob", bobId.encodedPublicKey(), List.of(Candidate.local("127.0.0.1:" + bobPort)));

        assertEquals("up bob 127.0.0.1:" + bobPort + " lan", aliceHears.next(WAIT));
        String bobSide = bobHears.next(WAIT);
        assertTrue(bobSide.startsWith("up alice ") && bobSide.endsWith(" incoming"), bobSide);
        assertTrue(alice.isUp("Bob"));

        assertTrue(alice.send("bob", new PeerFrame.Chat("m1", 1, "hi", 0, false)));
        assertEquals("received alice Chat", bobHears.next(WAIT));

        bob.forget("Alice", "alice stopped the private link");
        assertEquals("down alice: alice stopped the private link", bobHears.next(WAIT));
        assertTrue(aliceHears.next(WAIT).startsWith("down bob: "), aliceHears.reports.toString());
        assertFalse(bob.isUp("alice"));
        assertFalse(bob.send("alice", new PeerFrame.Ping()));
    }
}
