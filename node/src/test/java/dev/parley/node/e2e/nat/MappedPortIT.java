package dev.parley.node.e2e.nat;

import static dev.parley.node.e2e.nat.NatTraversalIT.chat;
import static dev.parley.node.e2e.nat.NatTraversalIT.consent;
import static dev.parley.node.e2e.nat.NatTraversalIT.linkUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.e2e.P2p;
import dev.parley.testsupport.LeftoverProcesses;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.nat.Namespace;
import dev.parley.testsupport.nat.Nat;
import dev.parley.testsupport.nat.NatLab;
import dev.parley.testsupport.nat.PortMapping;
import dev.parley.testsupport.nat.RequiresNatPmpRouter;
import dev.parley.testsupport.nat.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home router that grants port mappings (NAT-PMP, miniupnpd) in the NAT lab, with the real
 * packaged server and nodes: the node behind it has its P2P port mapped and announces it as a
 * {@code mapped} candidate; a peer behind a plain cone router that dials it gets through on that
 * address by a plain connect (no punch), and their messages go direct. With
 * {@code --no-port-mapping} nothing is asked, and the pair is punched through as any cone pair.
 */
@ExtendWith({RequiresNatPmpRouter.class, LeftoverProcesses.class})
class MappedPortIT {
    private static final String[] USERS = {"ann", "ben", "cat", "dan"};

    @TempDir
    static Path dir;
    private static NatLab lab;
    private static ServerProcess server;

    @BeforeAll
    static void labAndServer() throws Exception {
        lab = NatLab.create();
        StringBuilder lines = new StringBuilder("# seeded by MappedPortIT\n");
        for (String user : USERS) {
            lines.append(user).append(' ').append(password(user)).append('\n');
        }
        Path credentials = Files.writeString(dir.resolve("credentials.txt"), lines, StandardCharsets.UTF_8);
        server = ServerProcess.launch(Files.createDirectory(dir.resolve("server")))
                .within(lab.internet().prefix()).host(lab.internet().address())
                .options(List.of("--credentials", credentials.toString())).start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        String prefix = lab == null ? null : lab.prefix();
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
        if (prefix != null) {
            assertEquals(List.of(), NatLab.namespacesStartingWith(prefix), "the lab is torn down");
        }
    }

    @Test
    void aPeerDialsThePortTheRouterMappedAndMessagesGoDirect() throws Exception {
        Router annsRouter = lab.router(Nat.CONE, PortMapping.NAT_PMP);
        Router bensRouter = lab.router(Nat.CONE);
        try (NodeProcess ann = node(lab.host(annsRouter), "ann");
                NodeProcess ben = node(lab.host(bensRouter), "ben")) {
            // Announced before the event is printed: a consent after it finds the mapping.
            String mapped = ann.await("port-mapped").field("address");
            assertTrue(mapped.startsWith(annsRouter.wanAddress() + ":"), mapped);
            assertTrue(lab.exec(annsRouter.namespace(), "iptables-legacy", "-t", "nat", "-S", "MINIUPNPD").requireSuccess()
                    .output().contains("--dport " + mapped.substring(mapped.lastIndexOf(':') + 1)), "the router forwards it");

            consent(ben, "ben", ann, "ann"); // ben dials ann
            NodeProcess.Output up = linkUp(ben, "ann");
            assertEquals("mapped", up.field("how"));
            assertEquals(mapped, up.field("address"));
            assertEquals("incoming", linkUp(ann, "ben").field("how"));

            double relayedBefore = relayed();
            assertEquals(List.of("direct"), chat(ben, "ben", ann, "ann", 20).stream().distinct().toList());
            assertEquals(List.of("direct"), chat(ann, "ann", ben, "ben", 20).stream().distinct().toList());
            assertEquals(relayedBefore, relayed(), "the server relayed nothing");

            ben.send("contacts");
            NodeProcess.Output contacts = ben.await("contacts");
            assertTrue(contacts.json().get("contacts").toString().contains("\"how\":\"mapped\""), contacts.line());
            ben.assertNone(o -> o.is("link-failed"), "a failed attempt before the mapped address was dialed");
        }
    }

    @Test
    void withNoPortMappingNothingIsAskedAndTheConePairIsPunchedThrough() throws Exception {
        Router catsRouter = lab.router(Nat.CONE, PortMapping.NAT_PMP);
        Router dansRouter = lab.router(Nat.CONE);
        try (NodeProcess cat = node(lab.host(catsRouter), "cat", "--no-port-mapping");
                NodeProcess dan = node(lab.host(dansRouter), "dan")) {
            consent(dan, "dan", cat, "cat");
            assertEquals("punched", linkUp(dan, "cat").field("how"));
            linkUp(cat, "dan");
            assertEquals(List.of("direct"), chat(dan, "dan", cat, "cat", 5).stream().distinct().toList());
            cat.assertNone(o -> o.is("port-mapped"), "a port mapping asked for with --no-port-mapping");
            assertEquals("", lab.exec(catsRouter.namespace(), "iptables-legacy", "-t", "nat", "-S", "MINIUPNPD")
                    .requireSuccess().output().replace("-N MINIUPNPD", "").strip(), "the router mapped nothing");
        }
    }

    /** A JSON node for a seeded user inside {@code host}, listening for peers on every address there; logged in. */
    private static NodeProcess node(Namespace host, String user, String... options) throws IOException {
        Path data = Files.createTempDirectory(dir, "node-" + user + "-"); // owner-only, as the node wants it
        List<String> args = new ArrayList<>(List.of("--server", server.url(), "--trust-fingerprint", server.fingerprint,
                "--user", user, "--data-dir", data.toString(), "--json", "--p2p-host", "0.0.0.0"));
        args.addAll(List.of(options));
        NodeProcess node = NodeProcess.start(user, host.prefix(), args);
        node.send(password(user));
        node.await("logged-in", o -> user.equals(o.field("user")));
        return node;
    }

    private static String password(String user) {
        return "pw-" + user + "-secret";
    }

    private static double relayed() {
        return P2p.relayed(lab.exec(lab.internet(), "curl", "-s", "--max-time", "10", server.metricsUrl() + "/q/metrics")
                .requireSuccess().output());
    }
}
