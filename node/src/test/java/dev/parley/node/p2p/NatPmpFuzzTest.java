package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the NAT-PMP reply reader with whatever arrives from the gateway's address (anyone on the
 * LAN can forge that). Invariants: reading never throws anything but
 * {@link IllegalArgumentException}; nothing over {@value NatPmp#MAX_REPLY} bytes is read; a
 * mapping it returns is of the port asked for, and has an external port when it has a lifetime;
 * a public address is one a peer may dial; and whatever it reads, read again, reads the same.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/node/p2p/NatPmpFuzzTestInputs/readsReplies/}
 * (the first byte picks the request the rest is read against).
 */
class NatPmpFuzzTest {
    private static final int PORT = 40000;

    @FuzzTest
    void readsReplies(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int opcode = (input[0] & 1) == 0 ? NatPmp.OP_PUBLIC_ADDRESS : NatPmp.OP_MAP_TCP;
        byte[] datagram = Arrays.copyOfRange(input, 1, input.length);
        NatPmp.Reply reply;
        try {
            reply = NatPmp.parse(datagram, opcode, PORT);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertTrue(datagram.length >= 8 && datagram.length <= NatPmp.MAX_REPLY, datagram.length + " bytes read");
        if (reply instanceof NatPmp.Mapping m) {
            assertEquals(NatPmp.OP_MAP_TCP, opcode, "a mapping read as another reply");
            assertEquals(PORT, m.internalPort());
            assertTrue(m.lifetimeSeconds() == 0 || m.externalPort() > 0, "a live mapping to port 0");
            assertTrue(m.externalPort() <= 0xFFFF && m.lifetimeSeconds() <= NatPmp.MAX_LIFETIME_SECONDS);
        } else if (reply instanceof NatPmp.PublicAddress a) {
            assertEquals(NatPmp.OP_PUBLIC_ADDRESS, opcode, "an address read as another reply");
            assertTrue(DialCandidates.refusal(a.address(), false).isEmpty(), a.address().toString());
        } else if (reply instanceof NatPmp.Refused r) {
            assertTrue(r.resultCode() > 0 && r.resultCode() <= 0xFFFF, "result code " + r.resultCode());
        }
        assertEquals(reply, NatPmp.parse(datagram.clone(), opcode, PORT));
    }
}
