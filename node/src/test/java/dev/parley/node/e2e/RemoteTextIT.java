package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.SessionClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text from the network is shown, never obeyed: a message and a broadcast full of terminal
 * control sequences, sent by the test over a raw session (no node would send them), reach a plain
 * scripted node as one line each, with every control character made visible.
 */
class RemoteTextIT {
    /** Clear the screen, set the window title, ring the bell, return, and forge a line of bob's. */
    static final String HOSTILE = "look\u001b[2J\u001b]0;pwned title\u0007 ding\u0007\r\nbob: forged second line\u202e\u009b";
    static final String SHOWN = "look^[[2J^[]0;pwned title^G ding^G^M^Jbob: forged second line<U+202E><U+009B>";

    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();

    @Test
    void controlCharactersFromTheNetworkAreShownOnOneLine() throws Exception {
        NodeProcess reader = nodes.start("p9a", Nodes.password("p9a"), false);
        reader.awaitLine(l -> l.startsWith("logged in to ") && l.endsWith(" as p9a (type help for commands)"));
        try (SessionClient sender = nodes.session("p9b")) {
            sender.send(new ClientMessage.Send("s1", "p9a", HOSTILE));
            sender.expect(ServerMessage.Sent.class);
            sender.send(new ClientMessage.Broadcast("b1", HOSTILE));
            sender.expect(ServerMessage.Ok.class);
        }
        reader.awaitLine(l -> l.equals("[relay] p9b: " + SHOWN));
        reader.awaitLine(l -> l.equals("[broadcast] p9b: " + SHOWN));

        // Everything printed up to an answer asked for afterwards: one clean line per event.
        reader.send("blocked");
        reader.awaitLine(l -> l.equals("you block nobody"));
        List<NodeProcess.Output> lines = reader.outputs();
        for (NodeProcess.Output o : lines) {
            assertFalse(o.line().startsWith("bob: forged"), "a forged line:\n" + reader.transcript());
            assertEquals(-1, o.line().chars().filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x202e).findFirst().orElse(-1),
                    "a raw control character in: " + o);
        }
        assertTrue(lines.stream().noneMatch(o -> o.line().contains("forged") && !o.line().contains(SHOWN)), reader.transcript());
    }
}
