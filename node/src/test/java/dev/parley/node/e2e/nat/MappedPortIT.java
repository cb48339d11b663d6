package dev.parley.node.e2e.nat;

import static dev.parley.node.e2e.nat.NatTraversalIT.chat;
import static dev.parley.node.e2e.nat.NatTraversalIT.consent;
import static dev.parley.node.e2e.nat.NatTraversalIT.linkUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.LeftoverProcesses;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.nat.Nat;
import dev.parley.testsupport.nat.PortMapping;
import dev.parley.testsupport.nat.RequiresNatPmpRouter;
import dev.parley.testsupport.nat.Router;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A home router that grants port mappings (NAT-PMP, miniupnpd) in the NAT lab, with the real
 * packaged server and nodes: the node behind it has its P2P port mapped and announces it as a
 * {@code mapped} candidate; a peer behind a plain cone router that dials it gets through on that
 * address by a plain connect (no punch), and their messages go direct. With
 * {@code --no-port-mapping} nothing is asked, and the pair is punched through as any cone pair.
 */
@ExtendWith({RequiresNatPmpRouter.class, LeftoverProcesses.class})
class MappedPortIT {

    @RegisterExtension
    static final LabServer net = LabServer.seeding("ann", "ben", "cat", "dan");

    @Test
    void aPeerDialsThePortTheRouterMappedAndMessagesGoDirect() throws Exception {
        Router annsRouter = net.lab().router(Nat.CONE, PortMapping.NAT_PMP);
        Router bensRouter = net.lab().router(Nat.CONE);
        try (NodeProcess ann = net.node(net.lab().host(annsRouter), "ann");
                NodeProcess ben = net.node(net.lab().host(bensRouter), "ben")) {
            // Announced before the event is printed: a consent after it finds the mapping.
            String mapped = ann.await("port-mapped").field("address");
            assertTrue(mapped.startsWith(annsRouter.wanAddress() + ":"), mapped);
            assertTrue(net.lab().exec(annsRouter.namespace(), "iptables-legacy", "-t", "nat", "-S", "MINIUPNPD").requireSuccess()
                    .output().contains("--dport " + mapped.substring(mapped.lastIndexOf(':') + 1)), "the router forwards it");

            consent(ben, "ben", ann, "ann"); // ben dials ann
            NodeProcess.Output up = linkUp(ben, "ann");
            assertEquals("mapped", up.field("how"));
            assertEquals(mapped, up.field("address"));
            assertEquals("incoming", linkUp(ann, "ben").field("how"));

            double relayedBefore = net.relayed();
            assertEquals(List.of("direct"), chat(ben, "ben", ann, "ann", 20).stream().distinct().toList());
            assertEquals(List.of("direct"), chat(ann, "ann", ben, "ben", 20).stream().distinct().toList());
            assertEquals(relayedBefore, net.relayed(), "the server relayed nothing");

            ben.send("contacts");
            NodeProcess.Output contacts = ben.await("contacts");
            assertTrue(contacts.json().get("contacts").toString().contains("\"how\":\"mapped\""), contacts.line());
            ben.assertNone(o -> o.is("link-failed"), "a failed attempt before the mapped address was dialed");
        }
    }

    @Test
    void withNoPortMappingNothingIsAskedAndTheConePairIsPunchedThrough() throws Exception {
        Router catsRouter = net.lab().router(Nat.CONE, PortMapping.NAT_PMP);
        Router dansRouter = net.lab().router(Nat.CONE);
        try (NodeProcess cat = net.node(net.lab().host(catsRouter), "cat", "--no-port-mapping");
                NodeProcess dan = net.node(net.lab().host(dansRouter), "dan")) {
            consent(dan, "dan", cat, "cat");
            assertEquals("punched", linkUp(dan, "cat").field("how"));
            linkUp(cat, "dan");
            assertEquals(List.of("direct"), chat(dan, "dan", cat, "cat", 5).stream().distinct().toList());
            cat.assertNone(o -> o.is("port-mapped"), "a port mapping asked for with --no-port-mapping");
            assertEquals("", net.lab().exec(catsRouter.namespace(), "iptables-legacy", "-t", "nat", "-S", "MINIUPNPD")
                    .requireSuccess().output().replace("-N MINIUPNPD", "").strip(), "the router mapped nothing");
        }
    }

}
