package dev.parley.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.common.protocol.ProtocolCodec.Decoded;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolCodecTest {
    private final ProtocolCodec codec = new ProtocolCodec();

    private ClientMessage accepted(String frame) {
        Decoded<ClientMessage> d = codec.decodeClient(frame);
        if (d instanceof Decoded.Accepted<ClientMessage> a) {
            return a.message();
        }
        return fail("rejected: " + d);
    }

    private Decoded.Rejected<ClientMessage> rejected(String frame) {
        return assertInstanceOf(Decoded.Rejected.class, codec.decodeClient(frame));
    }

    @Test
    void decodesEveryClientMessage() {
        assertEquals(new ClientMessage.Send("1", "bob", "hi"), accepted("{\"type\":\"send\",\"id\":\"1\",\"to\":\"bob\",\"text\":\"hi\"}"));
        assertEquals(new ClientMessage.Broadcast(null, "all"), accepted("{\"type\":\"broadcast\",\"text\":\"all\"}"));
        assertEquals(new ClientMessage.WhoElse(null), accepted("{\"type\":\"whoelse\"}"));
        assertEquals(new ClientMessage.WhoElseSince("x", 30L), accepted("{\"type\":\"whoelsesince\",\"id\":\"x\",\"seconds\":30}"));
        assertEquals(new ClientMessage.Block(null, "eve"), accepted("{\"type\":\"block\",\"user\":\"eve\"}"));
        assertEquals(new ClientMessage.Unblock(null, "eve"), accepted("{\"type\":\"unblock\",\"user\":\"eve\"}"));
        assertEquals(new ClientMessage.ListBlocked(null), accepted("{\"type\":\"blocked\"}"));
        assertEquals(new ClientMessage.Ack(null, "m1"), accepted("{\"type\":\"ack\",\"messageId\":\"m1\"}"));
        assertEquals(new ClientMessage.Ping(null), accepted("{\"type\":\"ping\"}"));
        assertEquals(new ClientMessage.Logout(null), accepted("{\"type\":\"logout\"}"));
        assertEquals(new ClientMessage.Punch(null, "bob", PunchPhase.sync, "n0nce-123"),
                accepted("{\"type\":\"punch\",\"user\":\"bob\",\"phase\":\"sync\",\"nonce\":\"n0nce-123\"}"));
        assertEquals(new ClientMessage.ListContacts("c"), accepted("{\"type\":\"contacts\",\"id\":\"c\"}"));
    }

    @Test
    void aPunchNeedsAKnownPhaseAndAPlainNonce() {
        rejected("{\"type\":\"punch\",\"user\":\"bob\",\"phase\":\"go\",\"nonce\":\"n0nce-123\"}");
        rejected("{\"type\":\"punch\",\"user\":\"bob\",\"phase\":\"sync\"}");
        rejected("{\"type\":\"punch\",\"user\":\"bob\",\"phase\":\"sync\",\"nonce\":\"short\"}");
        rejected("{\"type\":\"punch\",\"user\":\"bob\",\"phase\":\"sync\",\"nonce\":\"has space in it\"}");
        rejected("{\"type\":\"punch\",\"user\":\"bob\",\"phase\":\"sync\",\"nonce\":\"" + "n".repeat(65) + "\"}");
    }

    @Test
    void roundTripsThroughEncode() {
        var send = new ClientMessage.Send("7", "carol", "multi\nline ✓");
        assertEquals(send, accepted(codec.encode(send)));
        assertTrue(codec.encode(send).contains("\"type\":\"send\""));
    }

    @Test
    void encodesStraightToTheSameUtf8() {
        var chat = new PeerFrame.Chat("m1", 3, "héllo ✓ \uD83D\uDE00 \"quoted\"\n", 1_700_000_000_000L, false);
        byte[] utf8 = codec.encodeUtf8(chat);
        assertEquals(codec.encode(chat), new String(utf8, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(chat, assertInstanceOf(Decoded.Accepted.class,
                codec.decode(new String(utf8, java.nio.charset.StandardCharsets.UTF_8), PeerFrame.class)).message());
    }

    @Test
    void serverMessagesCarryTheirTypeAndRoundTrip() {
        List<ServerMessage> all = List.of(
                new ServerMessage.Welcome("alice", 1),
                new ServerMessage.Deliver("m", "a", "b", "t", ServerMessage.Via.offline, 2),
                ServerMessage.Presence.of("a", ServerMessage.PresenceEvent.login, 3),
                new ServerMessage.Presence(List.of(new ServerMessage.PresenceChange("a", ServerMessage.PresenceEvent.login, 3),
                        new ServerMessage.PresenceChange("b", ServerMessage.PresenceEvent.logout, 4))),
                new ServerMessage.Error("9", ErrorCode.NO_SUCH_USER, "no such user"),
                new ServerMessage.Users("1", List.of("a", "b")),
                new ServerMessage.Closing(ServerMessage.CloseReason.takeover, "logged in elsewhere"),
                new ServerMessage.PunchSignal("bob", PunchPhase.ready, "n0nce-123",
                        List.of(new Candidate(Candidate.Type.observed, "203.0.113.2:4000"))),
                new ServerMessage.ContactList("2", List.of(new ServerMessage.Contact("bob", true, "ab:cd"))));
        for (ServerMessage m : all) {
            String json = codec.encode(m);
            Decoded<ServerMessage> back = codec.decodeServer(json);
            assertEquals(new Decoded.Accepted<>(m), back, json);
        }
        assertTrue(codec.encode(new ServerMessage.Error(null, ErrorCode.TOO_LARGE, "x")).contains("\"code\":\"too-large\""));
    }

    @Test
    void aPresenceFrameCarriesChangesInOrder() {
        String frame = "{\"type\":\"presence\",\"events\":[{\"user\":\"bob\",\"event\":\"login\",\"at\":3},"
                + "{\"user\":\"bob\",\"event\":\"logout\",\"at\":5}]}";
        assertEquals(new Decoded.Accepted<>(new ServerMessage.Presence(List.of(
                new ServerMessage.PresenceChange("bob", ServerMessage.PresenceEvent.login, 3),
                new ServerMessage.PresenceChange("bob", ServerMessage.PresenceEvent.logout, 5)))), codec.decodeServer(frame));
        assertEquals(frame, codec.encode(((Decoded.Accepted<ServerMessage>) codec.decodeServer(frame)).message()));
    }

    @Test
    void aPresenceFrameNeedsOneToMaxWellFormedChanges() {
        String change = "{\"user\":\"bob\",\"event\":\"login\",\"at\":3}";
        assertRejectedServer("{\"type\":\"presence\",\"events\":[]}", "must hold 1 to");
        assertRejectedServer("{\"type\":\"presence\"}", "missing field 'events'");
        assertRejectedServer("{\"type\":\"presence\",\"events\":[" + change + ",null]}", "holds a null");
        assertRejectedServer("{\"type\":\"presence\",\"user\":\"bob\",\"event\":\"login\",\"at\":3}", "missing field 'events'");
        assertRejectedServer("{\"type\":\"presence\",\"events\":[{\"user\":\"no spaces\",\"event\":\"login\",\"at\":3}]}",
                "invalid user");
        assertRejectedServer("{\"type\":\"presence\",\"events\":[{\"user\":\"bob\",\"at\":3}]}", "missing field 'event'");
        assertRejectedServer("{\"type\":\"presence\",\"events\":[{\"user\":\"bob\",\"event\":\"away\",\"at\":3}]}", "");
        String most = String.join(",", java.util.Collections.nCopies(ServerMessage.Presence.MAX_EVENTS, change));
        assertInstanceOf(Decoded.Accepted.class, codec.decodeServer("{\"type\":\"presence\",\"events\":[" + most + "]}"));
        assertRejectedServer("{\"type\":\"presence\",\"events\":[" + most + "," + change + "]}", "must hold 1 to");
    }

    private void assertRejectedServer(String frame, String reasonPart) {
        var r = assertInstanceOf(Decoded.Rejected.class, codec.decodeServer(frame), frame);
        assertEquals(ErrorCode.INVALID, r.code(), frame);
        assertTrue(r.reason().contains(reasonPart), r.reason());
    }

    @Test
    void rejectsMalformedJson() {
        var r = rejected("{\"type\":\"send\",");
        assertEquals(ErrorCode.MALFORMED, r.code());
        assertTrue(r.reason().startsWith("malformed JSON"), r.reason());
        assertEquals(ErrorCode.MALFORMED, rejected("[1,2]").code());
        assertEquals(ErrorCode.MALFORMED, rejected("").code());
        assertEquals(ErrorCode.MALFORMED, rejected("{} trailing").code());
    }

    @Test
    void rejectsUnknownTypeAndKeepsTheCorrelationId() {
        var r = rejected("{\"type\":\"teleport\",\"id\":\"42\"}");
        assertEquals(ErrorCode.UNKNOWN_TYPE, r.code());
        assertEquals("unknown message type 'teleport'", r.reason());
        assertEquals("42", r.re());
    }

    @Test
    void rejectsMissingTypeAndMissingFields() {
        assertEquals("missing field 'type'", rejected("{\"to\":\"bob\"}").reason());
        var r = rejected("{\"type\":\"send\",\"id\":\"3\",\"text\":\"hi\"}");
        assertEquals(ErrorCode.INVALID, r.code());
        assertEquals("missing field 'to'", r.reason());
        assertEquals("3", r.re());
        assertEquals("missing field 'seconds'", rejected("{\"type\":\"whoelsesince\"}").reason());
        assertEquals(ErrorCode.INVALID, rejected("{\"type\":\"whoelsesince\",\"seconds\":\"soon\"}").code());
    }

    @Test
    void rejectsInvalidUsernamesAndOversizedText() {
        var r = rejected("{\"type\":\"send\",\"to\":\"no spaces\",\"text\":\"hi\"}");
        assertEquals(ErrorCode.INVALID, r.code());
        assertTrue(r.reason().startsWith("invalid to:"), r.reason());
        assertTrue(rejected("{\"type\":\"block\",\"user\":\"" + "x".repeat(33) + "\"}").reason().contains("longer than 32"));
        String longText = "y".repeat(Limits.MAX_TEXT_CHARS + 1);
        assertTrue(rejected("{\"type\":\"broadcast\",\"text\":\"" + longText + "\"}").reason().contains("longer than"));
        assertTrue(rejected("{\"type\":\"broadcast\",\"text\":\"  \"}").reason().contains("empty"));
    }

    @Test
    void rejectsOversizedFramesBeforeParsing() {
        String huge = "{\"type\":\"broadcast\",\"text\":\"" + "z".repeat(Limits.MAX_FRAME_BYTES) + "\"}";
        var r = rejected(huge);
        assertEquals(ErrorCode.TOO_LARGE, r.code());
        assertNull(r.re());
        // Multi-byte characters count in bytes, not chars.
        String wide = "\"" + "€".repeat(Limits.MAX_FRAME_BYTES / 3 + 10) + "\"";
        assertEquals(ErrorCode.TOO_LARGE, rejected(wide).code());
    }

    @Test
    void usernameRules() {
        assertTrue(Username.isValid("a"));
        assertTrue(Username.isValid("Alice_Smith-2.0"));
        assertTrue(Username.problem("").isPresent());
        assertTrue(Username.problem("é").isPresent());
        assertEquals("alice", Username.key("ALICE"));
    }
}
