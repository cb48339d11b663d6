package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.NodeProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consent refused, end to end: denied, expired (a server of its own with a short
 * {@code --consent-timeout}), and the requests the server turns down at once.
 */
class P2pConsentIT {
    static final int CONSENT_TIMEOUT_SECONDS = 3;

    @RegisterExtension
    static final OwnServer own = OwnServer.seeding("dora", "dan", "eve", "ed", "bob", "bo", "ozzy", "sid")
            .with("--consent-timeout", Integer.toString(CONSENT_TIMEOUT_SECONDS));
    @RegisterExtension
    final Nodes nodes = Nodes.on(own);

    @Test
    void deniedRequestIsReportedAndIntroducesNobody() {
        NodeProcess dora = P2p.login(nodes, "dora");
        NodeProcess dan = P2p.login(nodes, "dan");

        dora.send("getaddress dan");
        dora.await("consent-asked", o -> "dan".equals(o.field("user")));
        var request = dan.await("consent-request", o -> "dora".equals(o.field("from")));
        dora.send("whoami");
        assertEquals(dora.await("whoami").field("fingerprint"), request.field("fingerprint"),
                "dan is shown dora's key fingerprint with the request");

        dan.send("deny dora");
        dan.await("denied", o -> "dora".equals(o.field("user")));
        var refused = dora.await("consent-refused", o -> "dan".equals(o.field("user")));
        assertEquals("denied", refused.field("reason"), refused.toString());

        // Answered once: a second answer is refused, and nobody was introduced.
        dan.send("consent dora");
        assertEquals("not-asked", dan.await("error").field("code"));
        dora.assertNone(o -> o.is("introduced") || o.is("link-up") || o.is("link-failed"), "an introduction after a denial");
        dan.assertNone(o -> o.is("introduced") || o.is("link-up") || o.is("peer-refused"), "an introduction after a denial");
    }

    @Test
    void unansweredRequestExpires() {
        NodeProcess eve = P2p.login(nodes, "eve");
        NodeProcess ed = P2p.login(nodes, "ed");

        eve.send("getaddress ed");
        eve.await("consent-asked", o -> "ed".equals(o.field("user")));
        long asked = System.nanoTime();
        ed.await("consent-request", o -> "eve".equals(o.field("from")));
        // The server checks for expired requests every second.
        var refused = eve.await(o -> o.is("consent-refused") && "ed".equals(o.field("user")),
                Duration.ofSeconds(CONSENT_TIMEOUT_SECONDS + 12), "the request's expiry");
        long waited = (System.nanoTime() - asked) / 1_000_000;
        assertEquals("expired", refused.field("reason"), refused.toString());
        assertTrue(waited >= (CONSENT_TIMEOUT_SECONDS - 1) * 1000L, "expired only after the timeout: " + waited + " ms");

        // Too late to consent now.
        ed.send("consent eve");
        assertEquals("not-asked", ed.await("error").field("code"));
        eve.assertNone(o -> o.is("introduced"), "an introduction after expiry");
        ed.assertNone(o -> o.is("introduced"), "an introduction after expiry");

        // And asking again works (the expired request is gone).
        eve.send("getaddress ed");
        eve.await("consent-asked", o -> "ed".equals(o.field("user")));
        ed.await("consent-request", o -> "eve".equals(o.field("from")));
        ed.send("deny eve");
        assertEquals("denied", eve.await("consent-refused").field("reason"));
    }

    @Test
    void blockedEitherWayOfflineSelfAndUnknownAreRefusedAtOnce() {
        NodeProcess bob = P2p.login(nodes, "bob");
        NodeProcess bo = P2p.login(nodes, "bo");
        NodeProcess sid = P2p.login(nodes, "sid");

        bob.send("block bo");
        bob.await("blocked", o -> "bo".equals(o.field("user")));
        // The blocker asks, then the blocked one asks.
        expectRefusal(bob, "getaddress bo", "blocked");
        expectRefusal(bo, "getaddress bob", "blocked");
        expectRefusal(bo, "startprivate bob", "blocked");
        bob.assertNone(o -> o.is("consent-request"), "a request from the user he blocked");
        bo.assertNone(o -> o.is("consent-request"), "a request from the user who blocked him");

        // ozzy has an account but is not logged in.
        expectRefusal(sid, "getaddress ozzy", "offline");
        expectRefusal(sid, "getaddress sid", "self");
        expectRefusal(sid, "getaddress nobody-here", "no-such-user");
        sid.assertNone(o -> o.is("consent-asked") || o.is("consent-refused") || o.is("introduced"), "anything but errors");
    }

    /** The server answers the request itself with an error of this code (nothing is asked). */
    private static void expectRefusal(NodeProcess node, String command, String code) {
        node.send(command);
        var error = node.await(o -> o.is("error") || o.is("consent-asked"), NodeProcess.EVENT_TIMEOUT, "an answer to " + command);
        assertEquals("error", error.event(), command + " must be refused: " + error);
        assertEquals(code, error.field("code"), command + ": " + error);
        assertTrue(error.field("message") != null && !error.field("message").isBlank(), "with a reason: " + error);
    }
}
