package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ProtocolCodec.Decoded;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Typed candidates in announcements and introductions: what the codec takes and what it refuses. */
class CandidateTest {
    private static final String KEY = "MCowBQYDK2VwAyEAKSa3bKLwf9oboZjuZfV+VlqBMoucg32kQ94PnQ3vxvU=";
    private final ProtocolCodec codec = new ProtocolCodec();

    private Decoded<ClientMessage> announce(String candidates) {
        return codec.decodeClient("{\"type\":\"announce\",\"id\":\"a1\",\"identityKey\":\"" + KEY
                + "\",\"p2pPort\":4000,\"candidates\":" + candidates + "}");
    }

    private static String rejection(Decoded<?> decoded) {
        Decoded.Rejected<?> rejected = assertInstanceOf(Decoded.Rejected.class, decoded);
        assertEquals(ErrorCode.INVALID, rejected.code());
        assertEquals("a1", rejected.re());
        return rejected.reason();
    }

    @Test
    void typedCandidatesAreReadInOrderAndWrittenBackTheSame() {
        Decoded<ClientMessage> decoded = announce("[{\"type\":\"local\",\"address\":\"192.168.1.5:4000\"},"
                + "{\"type\":\"observed\",\"address\":\"203.0.113.7:40123\"},"
                + "{\"type\":\"advertised\",\"address\":\"[2001:db8::1]:4000\"},"
                + "{\"type\":\"mapped\",\"address\":\"peer.example:5000\"}]");
        ClientMessage.Announce a = (ClientMessage.Announce) assertInstanceOf(Decoded.Accepted.class, decoded).message();
        assertEquals(List.of(Candidate.local("192.168.1.5:4000"),
                new Candidate(Candidate.Type.observed, "203.0.113.7:40123"),
                new Candidate(Candidate.Type.advertised, "[2001:db8::1]:4000"),
                new Candidate(Candidate.Type.mapped, "peer.example:5000")), a.candidates());
        assertTrue(codec.encode(a).contains("{\"type\":\"observed\",\"address\":\"203.0.113.7:40123\"}"),
                codec.encode(a));
        assertEquals(a, ((Decoded.Accepted<ClientMessage>) codec.decodeClient(codec.encode(a))).message());
    }

    @Test
    void noCandidatesIsAnEmptyList() {
        ClientMessage.Announce a = new ClientMessage.Announce(null, KEY, null, null, null);
        assertEquals(List.of(), a.candidates());
    }

    @Test
    void anUnknownOrMissingTypeIsRefused() {
        assertTrue(rejection(announce("[{\"type\":\"relayed\",\"address\":\"10.0.0.1:1\"}]")).contains("relayed"));
        assertEquals("missing field 'type'", rejection(announce("[{\"address\":\"10.0.0.1:1\"}]")));
        rejection(announce("[{\"type\":7,\"address\":\"10.0.0.1:1\"}]"));
        rejection(announce("[\"10.0.0.1:1\"]"));
        rejection(announce("[null]"));
    }

    @Test
    void aBadAddressIsRefused() {
        assertEquals("invalid address", rejection(announce("[{\"type\":\"local\"}]")));
        assertEquals("address '10.0.0.1' is not host:port", rejection(announce("[{\"type\":\"local\",\"address\":\"10.0.0.1\"}]")));
        String tooLong = "a".repeat(95) + ".example:1";
        assertEquals("invalid address", rejection(announce("[{\"type\":\"local\",\"address\":\"" + tooLong + "\"}]")));
    }

    @Test
    void tooManyCandidatesAreRefused() {
        String many = IntStream.range(0, Candidate.MAX + 1)
                .mapToObj(i -> "{\"type\":\"local\",\"address\":\"10.0.0." + i + ":1\"}")
                .collect(Collectors.joining(",", "[", "]"));
        assertEquals("at most " + Candidate.MAX + " candidates", rejection(announce(many)));
        String enough = IntStream.range(0, Candidate.MAX)
                .mapToObj(i -> "{\"type\":\"local\",\"address\":\"10.0.0." + i + ":1\"}")
                .collect(Collectors.joining(",", "[", "]"));
        assertInstanceOf(Decoded.Accepted.class, announce(enough));
    }

    @Test
    void anIntroductionHoldsTheSameBounds() {
        String intro = "{\"type\":\"introduction\",\"user\":\"bob\",\"identityKey\":\"" + KEY + "\",\"fingerprint\":\"SHA256:x\","
                + "\"keyChanged\":false,\"dial\":true,\"candidates\":[{\"type\":\"local\",\"address\":\"nohost\"}]}";
        assertInstanceOf(Decoded.Rejected.class, codec.decodeServer(intro));
        ServerMessage.Introduction ok = (ServerMessage.Introduction) ((Decoded.Accepted<ServerMessage>) codec.decodeServer(
                intro.replace("nohost", "127.0.0.1:4000"))).message();
        assertEquals(List.of(Candidate.local("127.0.0.1:4000")), ok.candidates());
    }
}
