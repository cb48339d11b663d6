package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default gateway read from a routing table laid out as Linux's {@code /proc/net/route}. */
class DefaultGatewayTest {
    private static final String HEAD = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void theDefaultRouteWithTheLowestMetricGivesTheGateway() throws Exception {
        // As a NAT lab host sees it (little-endian): default via 10.0.1.1, and its LAN.
        String lab = HEAD
                + "eth0\t00000000\t0101000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth0\t0001000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        assertEquals(Optional.of(InetAddress.getByName("10.0.1.1")), DefaultGateway.parse(lab, ByteOrder.LITTLE_ENDIAN));

        String twoUplinks = HEAD
                + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                + "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
        assertEquals(Optional.of(InetAddress.getByName("192.0.2.1")), DefaultGateway.parse(twoUplinks, ByteOrder.LITTLE_ENDIAN));
        assertEquals(Optional.of(InetAddress.getByName("10.0.1.1")),
                DefaultGateway.parse(HEAD + "eth0\t00000000\t0A000101\t0003\t0\t0\t0\t00000000\t0\t0\t0\n", ByteOrder.BIG_ENDIAN));
    }

    @Test
    void withoutAnUsableDefaultRouteThereIsNone() {
        assertEquals(Optional.empty(), DefaultGateway.parse("", ByteOrder.LITTLE_ENDIAN));
        assertEquals(Optional.empty(), DefaultGateway.parse(HEAD
                + "eth0\t0001000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n", ByteOrder.LITTLE_ENDIAN), "no default route");
        assertEquals(Optional.empty(), DefaultGateway.parse(HEAD
                + "eth0\t00000000\t0101000A\t0002\t0\t0\t0\t00000000\t0\t0\t0\n", ByteOrder.LITTLE_ENDIAN), "a route that is down");
        assertEquals(Optional.empty(), DefaultGateway.parse(HEAD
                + "wg0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n", ByteOrder.LITTLE_ENDIAN), "a default route with no gateway");
        assertEquals(Optional.empty(), DefaultGateway.parse(HEAD
                + "eth0\t00000000\t-101000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth0\t00000000\t0101000A\n", ByteOrder.LITTLE_ENDIAN), "lines that do not fit");
    }
}
