package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Candidate;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a peer announces is dialed only within limits: how many, and where. */
class DialCandidatesTest {
    /** Chooses among local candidates at these addresses, the node's own public address unknown. */
    private static DialCandidates.Choice choose(List<String> addresses, boolean localUse) {
        return DialCandidates.choose(addresses.stream().map(Candidate::local).toList(), localUse, Optional.empty());
    }

    private static Candidate of(Candidate.Type type, String address) {
        return new Candidate(type, address);
    }

    @Test
    void advertisedThenObservedThenLocalUnlessBothWereObservedAtTheSamePublicAddress() {
        List<Candidate> peer = List.of(of(Candidate.Type.local, "192.168.1.5:4000"), of(Candidate.Type.observed, "203.0.113.7:40123"),
                of(Candidate.Type.local, "10.0.0.5:4000"), of(Candidate.Type.advertised, "peer.example:4000"),
                of(Candidate.Type.mapped, "203.0.113.7:5000"));
        List<String> elsewhere = List.of("peer.example:4000", "203.0.113.7:5000", "203.0.113.7:40123",
                "192.168.1.5:4000", "10.0.0.5:4000");
        assertEquals(elsewhere, DialCandidates.choose(peer, false, Optional.empty()).addresses());
        assertEquals(elsewhere, DialCandidates.choose(peer, false, Optional.of("198.51.100.2")).addresses());
        assertEquals(List.of("192.168.1.5:4000", "10.0.0.5:4000", "peer.example:4000", "203.0.113.7:5000", "203.0.113.7:40123"),
                DialCandidates.choose(peer, false, Optional.of("203.0.113.7")).addresses(),
                "behind the same public address: the LAN first");
    }
    @Test
    void specialAddressesAreNeverDialedByANodeOnTheNetwork() {
        List<String> hostile = List.of("127.0.0.1:22", "127.1.2.3:80", "[::1]:22", "169.254.169.254:80", "[fe80::1]:4000",
                "224.0.0.1:4000", "[ff02::1]:4000", "0.0.0.0:22", "[::]:22", "255.255.255.255:4000", "0.1.2.3:4000");
        DialCandidates.Choice choice = choose(hostile, false);
        assertEquals(List.of(), choice.addresses());
        assertEquals(hostile.size(), choice.skipped().size(), choice.skipped().toString());
        assertTrue(choice.skipped().get(0).startsWith("127.0.0.1:22 (a loopback address"), choice.skipped().toString());

        List<String> fine = List.of("192.168.1.5:4000", "10.0.0.7:4000", "203.0.113.9:4000", "[2001:db8::5]:4000", "peer.example:4000");
        assertEquals(fine, choose(fine, false).addresses());
    }

    @Test
    void loopbackIsDialedOnlyForLocalUseAndTheRestNeverIs() {
        assertEquals(List.of("127.0.0.1:4000", "[::1]:4000"),
                choose(List.of("127.0.0.1:4000", "[::1]:4000", "169.254.1.1:4000", "0.0.0.0:4000"), true).addresses());
    }

    @Test
    void atMostEightAreTakenAndMalformedOnesSkipped() {
        List<String> many = IntStream.rangeClosed(1, 16).mapToObj(i -> "192.0.2." + i + ":4000").toList();
        DialCandidates.Choice choice = choose(many, false);
        assertEquals(many.subList(0, DialCandidates.MAX), choice.addresses());
        assertEquals(List.of("8 address(es) past the first 8"), choice.skipped());

        assertEquals(List.of("192.0.2.1:4000"), choose(
                List.of("[fe80::1%nosuchnic]:4000", "192.0.2.1:4000", "192.0.2.1:4000"), false).addresses());
        for (String malformed : List.of("no-port", "192.0.2.1:99999", "a b:1")) {
            assertThrows(IllegalArgumentException.class, () -> Candidate.local(malformed), "refused when decoded: " + malformed);
        }
        List<String> mixed = new java.util.ArrayList<>(List.of("127.0.0.1:22", "127.0.0.1:23"));
        mixed.addAll(many);
        assertEquals("8 address(es) past the first 8", choose(mixed, false).skipped().get(2),
                "the loopback ones are skipped, then 8 taken, then the rest counted");
    }

    @Test
    void aNameIsJudgedByTheAddressItResolvesTo() throws Exception {
        assertTrue(DialCandidates.refusal(InetAddress.getByName("127.0.0.1"), false).isPresent());
        assertTrue(DialCandidates.refusal(InetAddress.getByName("::ffff:127.0.0.1"), false).isPresent(), "IPv4-mapped loopback");
        assertTrue(DialCandidates.refusal(InetAddress.getByName("198.51.100.4"), false).isEmpty());
        assertEquals("peer.example", DialCandidates.host("peer.example:4000"));
        assertEquals("2001:db8::5", DialCandidates.host("[2001:db8::5]:4000"));
    }

    @Test
    void onlyBytesThatAreNotTlsOrAnotherKeyAreAWrongAnswer() {
        assertTrue(DialCandidates.wrongAnswer(new io.netty.handler.codec.DecoderException(
                new io.netty.handler.ssl.NotSslRecordException("not an SSL/TLS record"))));
        assertTrue(DialCandidates.wrongAnswer(new javax.net.ssl.SSLHandshakeException("bad key")
                .initCause(new java.security.cert.CertificateException("peer presented a key nobody consented to"))));
        assertFalse(DialCandidates.wrongAnswer(new io.vertx.core.VertxException(
                new io.netty.handler.ssl.SslHandshakeTimeoutException("handshake timed out after 10000ms"))), "busy");
        assertFalse(DialCandidates.wrongAnswer(new javax.net.ssl.SSLHandshakeException(
                "Connection closed while SSL/TLS handshake was in progress")), "throttled, or busy");
    }
}
