package dev.parley.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.output.Event;
import dev.parley.node.output.Notices;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the server pushes, as the user is told it. */
class ServerEventsTest {
    private final RecordingPrinter printer = new RecordingPrinter();
    private final Node node = new Node(printer, "https://example.test:8443");

    private List<String> names() {
        return printer.events().stream().map(Event::name).toList();
    }

    @Test
    void whatComesBeforeTheLoginIsSaidWaitsUntilTheLineThatExplainsIt() {
        node.attach(null, "alice");
        node.serverEvents().pushed(ServerMessage.Presence.of("bob", ServerMessage.PresenceEvent.login, 1));
        node.serverEvents().pushed(new ServerMessage.BroadcastMessage("bob", "hi all", 2));
        assertEquals(List.of(), names(), "nothing before 'logged in'");

        node.serverEvents().online("alice", false);
        assertEquals(List.of("logged-in", "user-online", "broadcast"), names());

        node.serverEvents().pushed(ServerMessage.Presence.of("carol", ServerMessage.PresenceEvent.login, 3));
        assertEquals("user-online", printer.last().name(), "once online, pushes are shown at once");
        assertEquals(Set.of("bob", "carol"), node.onlineUsers());
    }

    @Test
    void aNewSessionHoldsAgainUntilItIsOnline() {
        node.attach(null, "alice");
        node.serverEvents().online("alice", false);
        node.attach(null, "alice"); // logged out, and in again
        node.serverEvents().pushed(ServerMessage.Presence.of("bob", ServerMessage.PresenceEvent.login, 1));
        assertEquals(List.of("logged-in"), names());
        node.serverEvents().online("alice", false);
        assertEquals(List.of("logged-in", "logged-in", "user-online"), names());
    }

    @Test
    void aPresenceFrameOfSeveralChangesIsToldAsBeforeOneLineEachInOrder() {
        node.attach(null, "alice");
        node.serverEvents().online("alice", false);
        node.serverEvents().pushed(new ServerMessage.Presence(List.of(
                new ServerMessage.PresenceChange("bob", ServerMessage.PresenceEvent.login, 1),
                new ServerMessage.PresenceChange("carol", ServerMessage.PresenceEvent.login, 2),
                new ServerMessage.PresenceChange("bob", ServerMessage.PresenceEvent.logout, 3))));
        assertEquals(List.of("* bob logged in", "* carol logged in", "* bob logged out"),
                printer.events().stream().skip(1).map(Event::human).toList());
        assertEquals(List.of(Notices.presence("bob", true), Notices.presence("carol", true), Notices.presence("bob", false)),
                printer.events().subList(1, 4), "the same events as three frames of one change each");
        assertEquals(Set.of("carol"), node.onlineUsers());
    }

    @Test
    void consentingSaysItOnceForPeople() {
        node.serverEvents().pushed(new ServerMessage.Introduction("bob", "key", "SHA256:abc", false, List.of(), false));
        assertEquals(List.of("introduced"), names());
        assertEquals("bob may now connect to you directly (their key SHA256:abc)", printer.last().human());
        // The consent command's own answer (after the introduction) is for scripts: no line of its own.
        assertEquals(List.of(), Notices.consented("bob").lines());
    }
}
