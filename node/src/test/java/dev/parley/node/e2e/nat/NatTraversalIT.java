package dev.parley.node.e2e.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.LeftoverProcesses;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.nat.Namespace;
import dev.parley.testsupport.nat.Nat;
import dev.parley.testsupport.nat.RequiresNatLab;
import dev.parley.testsupport.nat.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct links across the NAT lab's home routers, with the real packaged server on the lab's
 * internet and real nodes behind the routers: two cone NATs are punched through, a symmetric one
 * leaves the pair on the relay with nothing lost, and two hosts behind one router link over their
 * LAN. One lab and one server serve every test; each test has routers and users of its own.
 */
@ExtendWith({RequiresNatLab.class, LeftoverProcesses.class})
class NatTraversalIT {
    /** From consent to link-up: a punch takes a round trip or two; allow for a busy two-core machine. */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LabServer net = LabServer.seeding("ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ivy", "jon");

    @Test
    void twoConeNatsArePunchedThroughAndMessagesGoDirectNotThroughTheServer() throws Exception {
        Router annsRouter = net.lab().router(Nat.CONE);
        Router bensRouter = net.lab().router(Nat.CONE);
        try (NodeProcess ann = net.node(net.lab().host(annsRouter), "ann");
                NodeProcess ben = net.node(net.lab().host(bensRouter), "ben")) {
            consent(ann, "ann", ben, "ben");
            assertEquals("punched", linkUp(ann, "ben").field("how"));
            assertEquals("punched", linkUp(ben, "ann").field("how"));

            double relayedBefore = net.relayed();
            List<String> sent = chat(ann, "ann", ben, "ben", 20);
            assertEquals(List.of("direct"), sent.stream().distinct().toList(), "every message went over the link");
            chat(ben, "ben", ann, "ann", 20);
            assertEquals(relayedBefore, net.relayed(), "the server relayed nothing");

            ann.send("contacts");
            NodeProcess.Output contacts = ann.await("contacts");
            assertTrue(contacts.json().get("contacts").toString().contains("\"how\":\"punched\""), contacts.line());
        }
    }

    @Test
    void behindASymmetricNatMessagesGoThroughTheRelayNoneLostWithoutAFloodOfErrors() throws Exception {
        Router catsRouter = net.lab().router(Nat.CONE);
        Router dansRouter = net.lab().router(Nat.SYMMETRIC);
        try (NodeProcess cat = net.node(net.lab().host(catsRouter), "cat");
                NodeProcess dan = net.node(net.lab().host(dansRouter), "dan")) {
            consent(cat, "cat", dan, "dan");
            // The first attempt fails (the punch, then plain TCP), and says so once.
            cat.await(o -> o.is("link-failed") && "dan".equals(o.field("user")), Duration.ofSeconds(40), "link-failed with dan");

            List<String> sent = chat(cat, "cat", dan, "dan", 20);
            assertEquals(List.of("relay"), sent.stream().distinct().toList(), "no link: the relay carried them");
            chat(dan, "dan", cat, "cat", 20);

            long failures = cat.outputs().stream().filter(o -> o.is("link-failed")).count();
            assertTrue(failures <= 2, "a failure is reported when its reason is new, not at every retry: " + failures);
            cat.assertNone(o -> o.is("link-up"), "a link through a symmetric NAT");
            cat.send("contacts");
            NodeProcess.Output contacts = cat.await("contacts");
            assertTrue(contacts.json().get("contacts").toString().contains("\"link\":\"relay\""), contacts.line());
        }
    }

    @Test
    void twoHostsBehindOneRouterLinkOverTheirLan() throws Exception {
        Router router = net.lab().router(Nat.CONE);
        try (NodeProcess eve = net.node(net.lab().host(router), "eve");
                NodeProcess fay = net.node(net.lab().host(router), "fay")) {
            consent(eve, "eve", fay, "fay");
            assertEquals("lan", linkUp(eve, "fay").field("how"));
            linkUp(fay, "eve");
            double relayedBefore = net.relayed();
            List<String> sent = chat(eve, "eve", fay, "fay", 10);
            assertEquals(List.of("direct"), sent.stream().distinct().toList());
            assertEquals(relayedBefore, net.relayed(), "the server relayed nothing");
        }
    }

    @Test
    void aLinkCutMidBurstByFlushingTheRoutersConnectionTrackingLosesNothingAndComesBackDirect() throws Exception {
        Router gusRouter = net.lab().router(Nat.CONE);
        Router halRouter = net.lab().router(Nat.CONE);
        try (NodeProcess gus = net.node(net.lab().host(gusRouter), "gus");
                NodeProcess hal = net.node(net.lab().host(halRouter), "hal")) {
            consent(gus, "gus", hal, "hal");
            assertEquals("punched", linkUp(gus, "hal").field("how"));
            linkUp(hal, "gus");

            // Half the burst, the cut while it is on the link, then the other half into the dead link.
            int burst = 1000;
            Duration patience = Duration.ofSeconds(90);
            for (int i = 0; i < burst / 2; i++) {
                gus.send("message hal burst #" + i);
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < burst / 10; i++) {
                ids.add(gus.await(o -> o.is("sent") && "hal".equals(o.field("to")), patience, "sent #" + i).field("id"));
            }
            cut(halRouter);
            for (int i = burst / 2; i < burst; i++) {
                gus.send("message hal burst #" + i);
            }
            for (int i = burst / 10; i < burst; i++) {
                ids.add(gus.await(o -> o.is("sent") && "hal".equals(o.field("to")), patience, "sent #" + i).field("id"));
            }
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                texts.add(hal.await(o -> o.is("message") && "gus".equals(o.field("from")), patience, "message #" + i)
                        .field("text"));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                expected.add("burst #" + i);
            }
            assertEquals(expected, texts, "every message arrives, once, in order");
            assertEquals(burst, ids.stream().distinct().count(), "one id per message");
            // The cut killed hal's server connection too: once it is back, nothing more is shown.
            if (hal.outputs().stream().anyMatch(o -> o.is("disconnected"))) {
                hal.await(o -> o.is("reconnected"), patience, "reconnected");
            }
            hal.send("whoami");
            hal.await("whoami");
            hal.assertNone(o -> o.is("message"), "a message shown twice");

            // The link died with the cut, and comes back direct by itself.
            gus.await(o -> o.is("link-down") && "hal".equals(o.field("user")), patience, "link-down with hal");
            gus.await(o -> o.is("link-up") && "hal".equals(o.field("user")), patience, "link-up with hal again");
            assertEquals(List.of("direct"), chat(gus, "gus", hal, "hal", 5).stream().distinct().toList(),
                    "after the cut, messages go direct again");
        }
    }

    @Test
    void aNewAddressOnTheMachineIsNoticedAndTheContactHearsOfItAtOnce() throws Exception {
        Router ivysRouter = net.lab().router(Nat.CONE);
        Router jonsRouter = net.lab().router(Nat.CONE);
        Namespace ivysHost = net.lab().host(ivysRouter);
        try (NodeProcess ivy = net.node(ivysHost, "ivy");
                NodeProcess jon = net.node(net.lab().host(jonsRouter), "jon")) {
            consent(ivy, "ivy", jon, "jon");
            linkUp(ivy, "jon");
            // Another network comes up on ivy's machine (a second address, as a new Wi-Fi or VPN gives).
            String another = ivysHost.address().substring(0, ivysHost.address().lastIndexOf('.')) + ".99";
            net.lab().exec(ivysHost, "ip", "addr", "add", another + "/24", "dev", "eth0").requireSuccess();
            ivy.await(o -> o.is("network-changed"), Duration.ofSeconds(20), "network-changed");
            // Ivy announced again: the server introduces the contacts to each other again, with ivy's new address.
            NodeProcess.Output again = jon.await(o -> o.is("introduced") && "ivy".equals(o.field("user")),
                    Duration.ofSeconds(20), "a second introduction of ivy");
            assertTrue(again.seq() > 0, again.toString());
            assertEquals("direct", chat(ivy, "ivy", jon, "jon", 3).stream().distinct().findFirst().orElseThrow(),
                    "the link stayed up");
        }
    }

    /**
     * The router forgets every connection, as a reboot or a full table does, and, as many routers
     * do, drops what it no longer tracks instead of picking the connection up again mid-stream: the
     * link through it is dead.
     */
    private static void cut(Router router) {
        net.lab().exec(router.namespace(), "sysctl", "-q", "-w", "net.netfilter.nf_conntrack_tcp_loose=0").requireSuccess();
        net.lab().exec(router.namespace(), "iptables", "-I", "FORWARD", "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP")
                .requireSuccess();
        net.lab().exec(router.namespace(), "conntrack", "-F").requireSuccess();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** {@code asker} asks for a link, {@code target} consents, and both are introduced. */
    static void consent(NodeProcess asker, String askerName, NodeProcess target, String targetName) {
        asker.send("getaddress " + targetName);
        asker.await("consent-asked", o -> targetName.equals(o.field("user")));
        target.await("consent-request", o -> askerName.equals(o.field("from")));
        target.send("consent " + askerName);
        target.await("consented", o -> askerName.equals(o.field("user")));
        asker.await("introduced", o -> targetName.equals(o.field("user")));
        target.await("introduced", o -> askerName.equals(o.field("user")));
    }

    static NodeProcess.Output linkUp(NodeProcess node, String peer) {
        return node.await(o -> o.is("link-up") && peer.equals(o.field("user")), LINK_TIMEOUT, "link-up with " + peer);
    }

    /**
     * {@code count} messages from one to the other: each confirmed, each shown once, in the order
     * sent. Returns the path each took, as the sender was told ({@code direct} or {@code relay}).
     */
    static List<String> chat(NodeProcess from, String fromName, NodeProcess to, String toName, int count) {
        String tag = Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < count; i++) {
            from.send("message " + toName + " " + tag + " #" + i);
        }
        List<String> sentIds = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NodeProcess.Output sent = from.await("sent", o -> toName.equals(o.field("to")));
            sentIds.add(sent.field("id"));
            paths.add(sent.field("via"));
        }
        List<String> texts = new ArrayList<>();
        Predicate<NodeProcess.Output> mine = o -> fromName.equals(o.field("from")) && o.field("text").startsWith(tag + " ");
        for (int i = 0; i < count; i++) {
            texts.add(to.await("message", mine).field("text"));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(tag + " #" + i);
        }
        assertEquals(expected, texts, "every message arrives, once, in order");
        assertEquals(count, sentIds.stream().distinct().count(), "one id per message: " + sentIds);
        // What the server had pushed is printed before the next command's answer: ask, then look for a second copy.
        to.send("whoami");
        to.await("whoami");
        to.assertNone(o -> o.is("message") && mine.test(o), "a message shown twice");
        return paths;
    }

}
