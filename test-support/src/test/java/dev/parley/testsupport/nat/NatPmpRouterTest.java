package dev.parley.testsupport.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A lab router with NAT-PMP (miniupnpd): it tells a LAN host its public address, maps the port
 * the host asks for, and then forwards a connection from the internet to that port to the host,
 * while other ports stay closed; a router without it says nothing; closing the lab ends the daemons.
 */
@ExtendWith(RequiresNatPmpRouter.class)
class NatPmpRouterTest {
    private static final int PORT = 40000;

    @Test
    void aMappedPortForwardsConnectionsFromTheInternetToTheHostThatAskedForIt() throws Exception {
        String prefix;
        List<Path> before = miniupnpdDirs();
        try (NatLab lab = NatLab.create()) {
            prefix = lab.prefix();
            Router router = lab.router(Nat.CONE, PortMapping.NAT_PMP);
            Router plain = lab.router(Nat.CONE);
            assertEquals(PortMapping.NAT_PMP, router.portMapping());
            Namespace host = lab.host(router);
            Namespace plainHost = lab.host(plain);
            Process echo = LabJava.serve(host, PORT, 7003);

            // Before the mapping, the router drops what comes in, as any.
            assertTrue(LabJava.ask(lab.internet(), 0, router.wanAddress() + ":" + PORT).get(0).contains("timed out"));

            assertEquals(List.of("public " + router.wanAddress(), "mapped " + PORT + " to " + PORT + " for 7200 s"),
                    LabJava.run(host, NatPmpProbe.class, router.lanAddress(), Integer.toString(PORT)));
            assertEquals(List.of(NatLab.INTERNET_ADDRESS), LabJava.ask(lab.internet(), 0, router.wanAddress() + ":" + PORT).stream()
                    .map(seen -> seen.substring(0, seen.lastIndexOf(':'))).toList(),
                    "the host is reached through the mapping, and sees who connected");
            assertTrue(LabJava.ask(lab.internet(), 0, router.wanAddress() + ":7003").get(0).contains("timed out"),
                    "a port not mapped stays closed");
            assertEquals(List.of("no answer"), LabJava.run(plainHost, NatPmpProbe.class, plain.lanAddress(),
                    Integer.toString(PORT)), "a router without NAT-PMP says nothing");

            assertFalse(miniupnpdDirs().equals(before), "miniupnpd's configuration is written");
            lab.close();
            assertTrue(echo.waitFor(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), NatLab.namespacesStartingWith(prefix), "the lab is gone");
        assertEquals(before, miniupnpdDirs(), "and the daemons' files with it");
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(prefix)),
                "nothing of the lab runs on");
    }

    private static List<Path> miniupnpdDirs() throws IOException {
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("parley-miniupnpd-")).sorted().toList();
        }
    }
}
