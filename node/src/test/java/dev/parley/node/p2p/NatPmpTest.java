package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** NAT-PMP's requests as RFC 6886 lays them out, and its replies read strictly. */
class NatPmpTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void requestsAreLaidOutAsTheRfcSays() {
        assertArrayEquals(HEX.parseHex("0000"), NatPmp.publicAddressRequest());
        // version 0, opcode 2 (TCP), reserved, internal 40000, suggested external 40000, 7200 s
        assertArrayEquals(HEX.parseHex("000200009c409c4000001c20"), NatPmp.mapTcpRequest(40000, 7200));
        assertArrayEquals(HEX.parseHex("000200009c40000000000000"), NatPmp.mapTcpRequest(40000, 0), "a deletion");
        assertThrows(IllegalArgumentException.class, () -> NatPmp.mapTcpRequest(0, 7200));
        assertThrows(IllegalArgumentException.class, () -> NatPmp.mapTcpRequest(65536, 7200));
        assertThrows(IllegalArgumentException.class, () -> NatPmp.mapTcpRequest(40000, -1));
    }

    @Test
    void repliesAsMiniupnpdSendsThem() throws Exception {
        // Captured from miniupnpd 2.3.1 in the NAT lab.
        assertEquals(new NatPmp.PublicAddress(2, (java.net.Inet4Address) InetAddress.getByName("203.0.113.11")),
                NatPmp.parse(HEX.parseHex("0080000000000002cb00710b"), NatPmp.OP_PUBLIC_ADDRESS, 0));
        assertEquals(new NatPmp.Mapping(2, 40000, 40000, 7200),
                NatPmp.parse(HEX.parseHex("00820000000000029c409c4000001c20"), NatPmp.OP_MAP_TCP, 40000));
        // Its answers while it has no usable public address: result code 3, whatever follows.
        assertEquals(new NatPmp.Refused(3), NatPmp.parse(HEX.parseHex("008000030000000400000000"), NatPmp.OP_PUBLIC_ADDRESS, 0));
        assertEquals("network failure (the router has no public address)", new NatPmp.Refused(3).meaning());
        assertEquals(new NatPmp.Refused(3),
                NatPmp.parse(HEX.parseHex("00820003000000049c409c4000001c20"), NatPmp.OP_MAP_TCP, 40000));
        // An unsupported-version answer is a bare header.
        assertEquals(new NatPmp.Refused(1), NatPmp.parse(HEX.parseHex("0080000100000004"), NatPmp.OP_PUBLIC_ADDRESS, 0));
        // A deletion's answer: no external port, no lifetime.
        assertEquals(new NatPmp.Mapping(9, 40000, 0, 0),
                NatPmp.parse(HEX.parseHex("00820000000000099c40000000000000"), NatPmp.OP_MAP_TCP, 40000));
    }

    @Test
    void whatIsNotTheReplyToTheRequestIsRefused() {
        refused("0080000000000002cb0071", NatPmp.OP_PUBLIC_ADDRESS, 0, "11 bytes, not the 12 of this reply");
        refused("0080000000000002cb00710b00", NatPmp.OP_PUBLIC_ADDRESS, 0, "13 bytes, not the 12 of this reply");
        refused("00800000000000", NatPmp.OP_PUBLIC_ADDRESS, 0, "7 bytes, shorter than a NAT-PMP header");
        refused("00820000000000029c409c4000001c2000", NatPmp.OP_MAP_TCP, 40000, "17 bytes, longer than any NAT-PMP reply");
        refused("0280000000000002cb00710b", NatPmp.OP_PUBLIC_ADDRESS, 0, "version 2, not NAT-PMP's 0");
        refused("0000000000000002cb00710b", NatPmp.OP_PUBLIC_ADDRESS, 0, "opcode 0, not the reply to opcode 0");
        refused("0081000000000002cb00710b", NatPmp.OP_PUBLIC_ADDRESS, 0, "opcode 129, not the reply to opcode 0");
        refused("00820000000000029c419c4000001c20", NatPmp.OP_MAP_TCP, 40000, "a mapping of port 40001, not of 40000");
        refused("00820000000000029c40000000001c20", NatPmp.OP_MAP_TCP, 40000, "a mapping to external port 0");
        refused("008000000000000200000000", NatPmp.OP_PUBLIC_ADDRESS, 0, "a public address no peer can dial: 0.0.0.0");
        refused("00800000000000027f000001", NatPmp.OP_PUBLIC_ADDRESS, 0, "a public address no peer can dial: 127.0.0.1");
        refused("0080000000000002e0000001", NatPmp.OP_PUBLIC_ADDRESS, 0, "a public address no peer can dial: 224.0.0.1");
    }

    private static void refused(String hex, int opcode, int port, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NatPmp.parse(HEX.parseHex(hex), opcode, port));
        assertEquals(why, e.getMessage());
    }
}
