package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A direct link cut in the middle of a burst: nothing lost, nothing twice, in order, and the
 * link comes back. A proxy in the test stands between the nodes so the test can cut the link.
 */
class P2pLinkCutIT {
    static final int COUNT = 1000;
    static final int CUT_AFTER = 200;
    /**
     * The proxy slows the dialer's direction so the burst (roughly 150 bytes a message on the
     * wire) takes several seconds to cross, and the cut comes while most of it is in flight.
     */
    static final long RATE = 16 * 1024;
    static final Duration DEADLINE = Duration.ofSeconds(120);

    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();

    @Test
    void thousandMessagesAcrossACutLinkArriveOnceEachInOrderAndTheLinkComesBack() throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int realPort = ServerProcess.freePort();
        try (TcpProxy proxy = new TcpProxy(realPort, RATE)) {
            NodeProcess ann = P2p.login(nodes, "p7a");
            NodeProcess ben = P2p.login(nodes, "p7b", "--p2p-port", Integer.toString(realPort),
                    "--advertise", "127.0.0.1:" + proxy.port());
            String address = P2p.link(ann, "p7a", ben, "p7b");
            assertEquals("127.0.0.1:" + proxy.port(), address, "ann dialed the advertised address, the proxy");
            assertEquals(1, proxy.accepted());

            StringBuilder burst = new StringBuilder();
            for (int i = 1; i <= COUNT; i++) {
                burst.append("message p7b ").append(text(i)).append('\n');
            }
            ann.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));

            List<NodeProcess.Output> got = new ArrayList<>();
            while (got.size() < CUT_AFTER) {
                got.add(nextMessage(ben, deadline));
            }
            int cut = proxy.cut();
            assertTrue(cut >= 2, "the proxy carried the link: " + cut + " sockets");
            P2p.awaitLinkDown(ann, "p7b");
            while (got.size() < COUNT) {
                got.add(nextMessage(ben, deadline));
            }

            // Exactly COUNT, in order, each once; a direct prefix, then the relay.
            Set<String> ids = new HashSet<>();
            int direct = 0;
            int relay = 0;
            for (int i = 0; i < COUNT; i++) {
                NodeProcess.Output o = got.get(i);
                assertEquals(text(i + 1), o.field("text"), "message " + (i + 1) + " in order");
                assertTrue(ids.add(o.field("id")), "shown twice: " + o);
                switch (o.field("via")) {
                    case "direct" -> {
                        assertEquals(0, relay, "direct after relay: " + o);
                        direct++;
                    }
                    case "relay" -> relay++;
                    default -> throw new AssertionError("unexpected path: " + o);
                }
            }
            System.out.printf("[link cut] %d direct, %d relay%n", direct, relay);
            assertTrue(direct >= CUT_AFTER, "at least what was shown before the cut came direct: " + direct);
            assertTrue(relay > 0, "the rest came through the server: " + relay);

            // The sender was told about every one of them, with its path.
            int sentDirect = 0;
            for (int i = 0; i < COUNT; i++) {
                var sent = ann.await(o -> o.is("sent") && "p7b".equals(o.field("to")), remaining(deadline), "sent #" + (i + 1));
                if ("direct".equals(sent.field("via"))) {
                    sentDirect++;
                }
            }
            assertTrue(sentDirect <= direct, "confirmed direct only if it arrived direct: " + sentDirect + " > " + direct);
            int rerouted = ann.await("rerouted", o -> "p7b".equals(o.field("user"))).json().get("count").asInt();
            assertTrue(rerouted > 0 && rerouted <= COUNT - sentDirect,
                    "unconfirmed ones were sent again through the server: " + rerouted + " of " + (COUNT - sentDirect));

            // The dialer's background retry brings the link back (through the proxy), and traffic returns to it.
            ann.await(o -> o.is("link-up") && "p7b".equals(o.field("user")), remaining(deadline), "the link back");
            ben.await(o -> o.is("link-up") && "p7a".equals(o.field("user")), remaining(deadline), "the link back");
            assertTrue(proxy.accepted() >= 2, "the new link goes through the proxy too");
            ann.send("message p7b back on the link");
            var after = ben.await("message", o -> "back on the link".equals(o.field("text")));
            assertEquals("direct", after.field("via"), after.toString());
            assertEquals("direct", ann.await("sent", o -> "p7b".equals(o.field("to"))).field("via"));

            ben.assertNone(o -> o.is("message"), "a message twice");
            ann.assertNone(o -> o.is("error"), "an error");
        }
    }

    private static String text(int i) {
        return String.format("m%04d", i);
    }

    private static NodeProcess.Output nextMessage(NodeProcess node, long deadline) {
        return node.await(o -> o.is("message") && "p7a".equals(o.field("from")), remaining(deadline), "the next message");
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }
}
