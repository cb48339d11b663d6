package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.NodeProcess;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct links end to end: the packaged server and packaged nodes, consent, a TLS link on
 * loopback, which path each message takes, and how a link ends.
 */
class P2pDirectLinkIT {
    /**
     * A dialer whose link dropped retries after 2 s (DialTargets.FIRST_RETRY),
     * taking up to 3 s to dial: a retry that must not happen would show within this window.
     */
    static final Duration RETRY_WINDOW = Duration.ofSeconds(6);

    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();

    @Test
    void consentedLinkCarriesPrivateAndMessageDirectlyAndTheServerRelaysNone() {
        NodeProcess ann = P2p.login(nodes, "p1a");
        NodeProcess ben = P2p.login(nodes, "p1b");
        double relayedBefore = P2p.relayed(nodes.server());

        P2p.Introduction intro = P2p.consent(ann, "p1a", ben, "p1b");
        String address = P2p.awaitLinkUp(ann, "p1b").field("address");
        assertTrue(address != null && address.startsWith("127.0.0.1:"), "dialed on loopback: " + address);
        P2p.awaitLinkUp(ben, "p1a");

        // Fingerprints: what each side says about itself is what the server vouches for to the other.
        ann.send("whoami");
        String annKey = ann.await("whoami").field("fingerprint");
        ben.send("whoami");
        String benKey = ben.await("whoami").field("fingerprint");
        assertNotNull(annKey);
        assertNotNull(benKey);
        assertTrue(!annKey.equals(benKey), "two nodes, two keys");
        ann.send("fingerprint p1b");
        assertEquals(benKey, ann.await("fingerprint", o -> "p1b".equals(o.field("user"))).field("fingerprint"));
        ben.send("fingerprint p1a");
        assertEquals(annKey, ben.await("fingerprint", o -> "p1a".equals(o.field("user"))).field("fingerprint"));
        assertEquals(annKey, intro.askerFingerprintShownToTarget(), "ben was asked with ann's real key");
        assertEquals(benKey, intro.targetFingerprintShownToAsker(), "ann was introduced to ben's real key");

        // private: direct only, confirmed by the peer.
        ann.send("private p1b just between us");
        var got = ben.await("message", o -> "just between us".equals(o.field("text")));
        assertEquals("direct", got.field("via"), got.toString());
        assertEquals("p1a", got.field("from"));
        var sent = ann.await("sent", o -> "p1b".equals(o.field("to")));
        assertEquals("direct", sent.field("via"), sent.toString());
        assertEquals(got.field("id"), sent.field("id"));

        ben.send("private p1a agreed");
        assertEquals("direct", ann.await("message", o -> "agreed".equals(o.field("text"))).field("via"));
        assertEquals("direct", ben.await("sent", o -> "p1a".equals(o.field("to"))).field("via"));

        // message: P2P first, so direct while the link is up, both ways.
        ann.send("message p1b hello over the link");
        got = ben.await("message", o -> "hello over the link".equals(o.field("text")));
        assertEquals("direct", got.field("via"), got.toString());
        sent = ann.await("sent", o -> "p1b".equals(o.field("to")));
        assertEquals("direct", sent.field("via"), sent.toString());
        assertEquals(got.field("id"), sent.field("id"), "the same message id end to end");

        ben.send("message p1a and back");
        got = ann.await("message", o -> "and back".equals(o.field("text")));
        assertEquals("direct", got.field("via"), got.toString());
        assertEquals("direct", ben.await("sent", o -> "p1a".equals(o.field("to"))).field("via"));

        // Every message above was confirmed by the peer, so none of them can still reach the server.
        assertEquals(relayedBefore, P2p.relayed(nodes.server()), "the server relayed none of the direct messages");
        ann.assertNone(o -> o.is("error") || o.is("link-down") || o.is("peer-refused"), "an error");
        ben.assertNone(o -> o.is("error") || o.is("link-down") || o.is("peer-refused"), "an error");
        ann.assertAllJson();
        ben.assertAllJson();
    }

    @Test
    void stopprivateClosesTheLinkOnBothSidesAndMessagesFallBackToTheRelay() {
        NodeProcess ann = P2p.login(nodes, "p2a");
        NodeProcess ben = P2p.login(nodes, "p2b");
        P2p.link(ann, "p2a", ben, "p2b");
        double relayedBefore = P2p.relayed(nodes.server());

        ben.send("stopprivate p2a");
        ben.await("private-stopped", o -> "p2a".equals(o.field("user")));
        P2p.awaitLinkDown(ben, "p2a");
        var told = ann.await("private-stopped", o -> "p2b".equals(o.field("user")));
        assertTrue(told.field("message").contains("p2b"), told.toString());
        P2p.awaitLinkDown(ann, "p2b");
        long windowEnd = System.nanoTime() + RETRY_WINDOW.toNanos();

        for (NodeProcess[] pair : new NodeProcess[][] {{ann, ben}, {ben, ann}}) {
            String to = pair[0] == ann ? "p2b" : "p2a";
            pair[0].send("private " + to + " still there?");
            var error = pair[0].await("error");
            assertTrue(error.field("message").contains("getaddress " + to), "says how to start a link: " + error);
        }

        ann.send("message p2b through the server now");
        var sent = ann.await("sent", o -> "p2b".equals(o.field("to")));
        assertEquals("relay", sent.field("via"), sent.toString());
        var got = ben.await("message", o -> "through the server now".equals(o.field("text")));
        assertEquals("relay", got.field("via"), got.toString());
        assertEquals(relayedBefore + 1, P2p.relayed(nodes.server()), "exactly that message was relayed");

        // Consent is withdrawn: the old link does not come back by itself; nobody dials, nobody is turned away.
        assertNoneUntil(ann, o -> o.is("link-up") || o.is("link-failed") || o.is("peer-refused"), windowEnd,
                "a new link attempt");
        ben.assertNone(o -> o.is("link-up") || o.is("link-failed") || o.is("peer-refused"), "a new link attempt");
        // A new link needs a new consent, and then works.
        P2p.link(ann, "p2a", ben, "p2b");
        ann.send("message p2b direct again");
        assertEquals("direct", ben.await("message", o -> "direct again".equals(o.field("text"))).field("via"));
    }

    @Test
    void blockTearsTheLinkDownOnBothSides() {
        NodeProcess ann = P2p.login(nodes, "p3a");
        NodeProcess ben = P2p.login(nodes, "p3b");
        P2p.link(ann, "p3a", ben, "p3b");

        // The dialing side blocks: the other is told, and both links go down.
        ann.send("block p3b");
        ann.await("blocked", o -> "p3b".equals(o.field("user")));
        var told = ben.await("private-stopped", o -> "p3a".equals(o.field("user")));
        assertTrue(told.field("message").contains("p3a"), told.toString());
        P2p.awaitLinkDown(ben, "p3a");
        P2p.awaitLinkDown(ann, "p3b");
        long windowEnd = System.nanoTime() + RETRY_WINDOW.toNanos();

        ann.send("private p3b are you there");
        assertTrue(ann.await("error").field("message").contains("getaddress p3b"));
        ben.send("private p3a are you there");
        assertTrue(ben.await("error").field("message").contains("getaddress p3a"));
        ben.send("message p3a let me in");
        var refused = ben.await("error");
        assertEquals("blocked", refused.field("code"), "and the relay refuses too: " + refused);

        // The blocker must not keep dialing the user it blocked.
        assertNoneUntil(ann, o -> o.is("link-failed") || o.is("link-up"), windowEnd, "a redial of the blocked user");
        ben.assertNone(o -> o.is("peer-refused") || o.is("link-up"), "a connection from the user who blocked him");
        ben.assertNone(o -> o.is("message"), "a message from the blocked side");
    }

    @Test
    void deadAdvertisedAddressFallsBackToTheRelayWithinSeconds() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            dead = probe.getLocalPort(); // closed again below: nobody listens there
        }
        NodeProcess ann = P2p.login(nodes, "p4a");
        NodeProcess ben = P2p.login(nodes, "p4b", "--advertise", "127.0.0.1:" + dead);

        P2p.consent(ann, "p4a", ben, "p4b");
        long introduced = System.nanoTime();
        var failed = ann.await(o -> o.is("link-failed") && "p4b".equals(o.field("user")), Duration.ofSeconds(8),
                "link-failed for the dead address");
        long took = (System.nanoTime() - introduced) / 1_000_000;
        assertTrue(failed.field("reason").contains("127.0.0.1:" + dead), "says which address failed: " + failed);
        assertTrue(took < 6000, "dialing gave up within seconds, took " + took + " ms");

        ann.send("message p4b the link never came");
        var sent = ann.await("sent", o -> "p4b".equals(o.field("to")));
        assertEquals("relay", sent.field("via"), sent.toString());
        var got = ben.await("message", o -> "the link never came".equals(o.field("text")));
        assertEquals("relay", got.field("via"));
        assertEquals(sent.field("id"), got.field("id"));
        ben.send("message p4a got it");
        assertEquals("relay", ann.await("message", o -> "got it".equals(o.field("text"))).field("via"));
        ann.assertNone(o -> o.is("link-up"), "a link to a dead address");
        ben.assertNone(o -> o.is("link-up"), "a link to a dead address");
    }

    /** Fails if {@code node} prints something matching {@code unwanted} before {@code deadline}. */
    static void assertNoneUntil(NodeProcess node, java.util.function.Predicate<NodeProcess.Output> unwanted, long deadline,
            String what) {
        node.poll(unwanted, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).ifPresent(o -> {
            throw new AssertionError(node.name + ": should not have printed " + what + ", but printed: " + o
                    + "\n" + node.transcript());
        });
    }
}
