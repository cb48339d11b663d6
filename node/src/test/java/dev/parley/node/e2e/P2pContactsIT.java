package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testsupport.NodeProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Standing consent: once two users consented, they are contacts until {@code stopprivate} or
 * {@code block}, across restarts of both nodes and of the server, and their nodes bring the link
 * up by themselves whenever both are online. {@code contacts} lists them with the link's state.
 */
class P2pContactsIT {
    @RegisterExtension
    static final OwnServer own = OwnServer.seeding("ann", "ben", "cal", "dee");
    @RegisterExtension
    final Nodes nodes = Nodes.on(own);

    @Test
    void contactsAreLinkedAgainAfterBothNodesAndTheServerRestartedWithoutAskingAgain() throws Exception {
        Path annData = nodes.dataDir("ann");
        Path benData = nodes.dataDir("ben");
        NodeProcess ann = start("ann", annData);
        NodeProcess ben = start("ben", benData);
        P2p.link(ann, "ann", ben, "ben");
        leave(ann);
        leave(ben);
        own.server().stop();
        own.restart();

        ann = start("ann", annData);
        ben = start("ben", benData);
        // The one that came online last dials: no getaddress, no consent asked again.
        assertEquals("true", ben.await("introduced", o -> "ann".equals(o.field("user"))).field("dial"));
        assertEquals("false", ann.await("introduced", o -> "ben".equals(o.field("user"))).field("dial"));
        P2p.awaitLinkUp(ben, "ann");
        P2p.awaitLinkUp(ann, "ben");
        ann.assertNone(o -> o.is("consent-request") || o.is("key-changed"), "consent asked again, or a new key");

        ann.send("message ben over the standing link");
        assertEquals("direct", ann.await("sent", o -> "ben".equals(o.field("to"))).field("via"));
        assertEquals("over the standing link", ben.await("message", o -> "ann".equals(o.field("from"))).field("text"));

        ann.send("contacts");
        JsonNode listed = ann.await("contacts").json().get("contacts");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("ben", listed.get(0).get("user").asText());
        assertTrue(listed.get(0).get("online").asBoolean(), listed.toString());
        assertEquals("direct", listed.get(0).get("link").asText(), listed.toString());
    }

    @Test
    void stopprivateEndsTheStandingConsentForGood() throws Exception {
        Path deeData = nodes.dataDir("dee");
        NodeProcess cal = start("cal", nodes.dataDir("cal"));
        NodeProcess dee = start("dee", deeData);
        P2p.link(cal, "cal", dee, "dee");
        cal.send("stopprivate dee");
        P2p.awaitLinkDown(dee, "cal");
        leave(dee);

        dee = start("dee", deeData);
        dee.send("contacts");
        assertEquals(0, dee.await("contacts").json().get("contacts").size(), "no contact after stopprivate");
        cal.send("contacts");
        assertEquals(0, cal.await("contacts").json().get("contacts").size(), "no contact after stopprivate");
        // Pushes are printed before a later answer: had there been an introduction, it would show by now.
        dee.assertNone(o -> o.is("introduced") || o.is("link-up"), "a link after stopprivate");
        assertEquals(1, cal.outputs().stream().filter(o -> o.is("introduced")).count(),
                "cal was introduced to dee once, at consent, and not again when dee came back");
    }

    /** A JSON node for a seeded user with this data directory (so the same identity key), logged in. */
    private NodeProcess start(String user, Path data) {
        List<String> args = List.of("--server", own.server().url(), "--trust-fingerprint", own.server().fingerprint,
                "--user", user, "--data-dir", data.toString(), "--json", "--p2p-host", "127.0.0.1");
        NodeProcess node = nodes.run(user, args);
        node.send(Nodes.password(user));
        node.await("logged-in", o -> user.equals(o.field("user")));
        return node;
    }

    /** Logs the node out by ending its input, and waits for it to exit. */
    private static void leave(NodeProcess node) {
        node.closeInput();
        assertEquals(0, node.exitCode(NodeProcess.EXIT_TIMEOUT), node.name + " exits cleanly");
    }
}
