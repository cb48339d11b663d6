package dev.parley.testsupport.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lab does what a home network does: hosts reach the internet from their router's address,
 * a cone router keeps a socket's mapping whoever it talks to and a symmetric one does not, nothing
 * unsolicited gets in, hosts on one LAN reach each other, and nothing of a lab is left afterwards.
 */
@ExtendWith(RequiresNatLab.class)
class NatLabTest {
    private static final int LOCAL_PORT = 40000;

    @Test
    void hostsGoOutThroughTheirRoutersAddressAndCanBeReachedOnlyByReplies() throws Exception {
        String prefix;
        try (NatLab lab = NatLab.create()) {
            prefix = lab.prefix();
            Router cone = lab.router(Nat.CONE);
            Router symmetric = lab.router(Nat.SYMMETRIC);
            Namespace coneHost = lab.host(cone);
            Namespace neighbour = lab.host(cone);
            Namespace symmetricHost = lab.host(symmetric);
            assertEquals("203.0.113.11", cone.wanAddress());
            assertEquals("10.0.1.10", coneHost.address());
            assertEquals("10.0.1.11", neighbour.address());
            assertEquals("10.0.2.10", symmetricHost.address());

            Process echo = LabJava.serve(lab.internet(), 7001, 7002);
            Process lanEcho = LabJava.serve(coneHost, 7003);

            // Out through the router's address; a cone router keeps the port for every destination.
            List<String> seen = LabJava.ask(coneHost, LOCAL_PORT, "203.0.113.1:7001", "203.0.113.1:7002");
            assertEquals(List.of(cone.wanAddress() + ":" + LOCAL_PORT, cone.wanAddress() + ":" + LOCAL_PORT), seen,
                    "a cone NAT maps one socket to one public address and port");
            // A symmetric router picks a new port for each destination.
            seen = LabJava.ask(symmetricHost, LOCAL_PORT, "203.0.113.1:7001", "203.0.113.1:7002");
            assertTrue(seen.stream().allMatch(s -> s.startsWith(symmetric.wanAddress() + ":")), seen.toString());
            assertNotEquals(seen.get(0), seen.get(1), "a symmetric NAT maps each destination apart");

            // On the LAN, directly; from the internet, a connection to the router is dropped (no reset).
            assertEquals(List.of(neighbour.address() + ":" + LOCAL_PORT),
                    LabJava.ask(neighbour, LOCAL_PORT, coneHost.address() + ":7003"));
            List<String> unsolicited = LabJava.ask(lab.internet(), 0, cone.wanAddress() + ":7003");
            assertTrue(unsolicited.get(0).startsWith("failed:") && unsolicited.get(0).contains("timed out"),
                    "unsolicited connections are dropped silently: " + unsolicited);

            assertTrue(lab.exec(cone.namespace(), "conntrack", "-L", "-p", "tcp").output().contains("src=10.0.1.10"),
                    "the router's connection table holds the host's connections");
            assertTrue(lab.exec(cone.namespace(), "conntrack", "-F").succeeded());
            assertFalse(lab.remaining().isEmpty());
            assertTrue(echo.isAlive() && lanEcho.isAlive());

            lab.close();
            assertTrue(echo.waitFor(10, TimeUnit.SECONDS) && lanEcho.waitFor(10, TimeUnit.SECONDS),
                    "closing the lab ends what still ran inside it");
        }
        assertEquals(List.of(), new ArrayList<>(NatLab.namespacesStartingWith(prefix)), "the lab is gone");
    }

    @Test
    void routersAndHostsAddedLaterCutOffNoneOfThoseAlreadyTalking() throws Exception {
        try (NatLab lab = NatLab.create()) {
            Router first = lab.router(Nat.CONE);
            Namespace host = lab.host(first);
            Process echo = LabJava.serve(lab.internet(), 7001);
            assertEquals(List.of(first.wanAddress() + ":" + LOCAL_PORT), LabJava.ask(host, LOCAL_PORT, "203.0.113.1:7001"));
            String internetMac = mac(lab, lab.internet(), "inet");
            String lanMac = mac(lab, first.namespace(), "lan");
            for (int i = 0; i < 4; i++) {
                lab.host(lab.router(Nat.CONE));
                lab.host(first);
            }
            // A bridge left to itself takes the lowest MAC of its ports: the router's and the host's
            // ARP entries would point nowhere until they went stale.
            assertEquals(internetMac, mac(lab, lab.internet(), "inet"));
            assertEquals(lanMac, mac(lab, first.namespace(), "lan"));
            assertEquals(List.of(first.wanAddress() + ":" + (LOCAL_PORT + 1)), LabJava.ask(host, LOCAL_PORT + 1, "203.0.113.1:7001"));
            echo.destroy();
        }
    }

    private static String mac(NatLab lab, Namespace namespace, String device) {
        String link = lab.exec(namespace, "ip", "-o", "link", "show", device).requireSuccess().output();
        return link.substring(link.indexOf("link/ether ") + 11).split("\\s+")[0];
    }

    @Test
    void aNewLabSweepsAwayTheNamespacesOfARunThatWasKilled() throws Exception {
        Process gone = new ProcessBuilder(SystemCommand.tool("true")).start();
        gone.waitFor(10, TimeUnit.SECONDS);
        String stale = "plab" + gone.pid() + "x1-inet";
        SystemCommand.run(List.of("ip", "netns", "add", stale)).requireSuccess();
        try (NatLab lab = NatLab.create()) {
            assertEquals(List.of(), NatLab.namespacesStartingWith(stale), "the dead run's namespace is swept");
            assertEquals(List.of(lab.internet().name()), lab.remaining(), "this lab's own stays");
        } finally {
            SystemCommand.run(List.of("ip", "netns", "delete", stale));
        }
    }
}
