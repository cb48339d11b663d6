package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.NodeProcess;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed scenarios, end to end: the packaged rendezvous server and several packaged nodes in
 * scripted {@code --json} mode, each test with its own users, checking what each user sees.
 */
class NodeChatIT {
    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();

    @Test
    void messageBetweenTwoOnlineUsersGoesThroughTheRelay() {
        NodeProcess ann = nodes.login("ann");
        NodeProcess ben = nodes.login("ben");

        ann.send("message ben hello ben,  how are you?");
        var sent = ann.await("sent");
        assertEquals("ben", sent.field("to"));
        assertEquals("relay", sent.field("via"));

        var got = ben.await("message");
        assertEquals("ann", got.field("from"));
        assertEquals("ben", got.field("to"));
        assertEquals("hello ben,  how are you?", got.field("text"), "text arrives as typed, spacing kept");
        assertEquals("relay", got.field("via"));
        assertEquals(sent.field("id"), got.field("id"), "the sender's message id is the one delivered");
        var receipt = ann.await("delivered", o -> sent.field("id").equals(o.field("id")));
        assertEquals("ben", receipt.field("to"), "an end-to-end receipt once ben's node has it");

        ben.send("@ann fine, thanks");
        ben.await("sent", o -> "ann".equals(o.field("to")));
        var reply = ann.await("message");
        assertEquals("ben", reply.field("from"));
        assertEquals("fine, thanks", reply.field("text"));

        ann.assertAllJson();
        ben.assertAllJson();
    }

    @Test
    void broadcastReachesEveryoneElseButNotTheSender() {
        NodeProcess cara = nodes.login("cara");
        NodeProcess cody = nodes.login("cody");
        NodeProcess cleo = nodes.login("cleo");

        cara.send("broadcast hello everyone");
        cara.await("broadcast-sent", o -> "hello everyone".equals(o.field("text")));
        for (NodeProcess other : List.of(cody, cleo)) {
            var b = other.await("broadcast");
            assertEquals("cara", b.field("from"));
            assertEquals("hello everyone", b.field("text"));
        }
        cara.assertNone(o -> o.is("broadcast") || o.is("message"), "her own broadcast");
    }

    @Test
    void onlineAndWhoelseListTheOthersOnline() {
        NodeProcess olga = nodes.login("olga");
        NodeProcess omar = nodes.login("omar");
        olga.await("user-online", o -> "omar".equals(o.field("user")));

        omar.send("whoelse");
        List<String> seenByOmar = omar.await("online").list("users");
        assertTrue(seenByOmar.contains("olga"), "omar sees olga: " + seenByOmar);
        assertFalse(seenByOmar.contains("omar"), "not himself: " + seenByOmar);

        NodeProcess otto = nodes.login("otto");
        olga.await("user-online", o -> "otto".equals(o.field("user")));
        omar.await("user-online", o -> "otto".equals(o.field("user")));

        olga.send("online");
        List<String> seenByOlga = olga.await("online").list("users");
        assertTrue(seenByOlga.containsAll(List.of("omar", "otto")), "alias 'online': " + seenByOlga);
        assertFalse(seenByOlga.contains("olga"), seenByOlga.toString());

        otto.send("whoelsesince 60");
        List<String> since = otto.await("online-since").list("users");
        assertTrue(since.containsAll(List.of("olga", "omar")), since.toString());
    }

    @Test
    void blockHidesMessagesBroadcastsAndPresenceBothWaysAndUnblockRestoresThem() {
        NodeProcess blair = nodes.login("blair");
        NodeProcess blake = nodes.login("blake");
        NodeProcess bess = nodes.login("bess");
        blair.await("user-online", o -> "blake".equals(o.field("user")));
        blake.await("user-online", o -> "bess".equals(o.field("user")));

        blair.send("block blake");
        blair.await("blocked", o -> "blake".equals(o.field("user")));
        // A block takes effect at once: blake sees blair leave; blair, who blocked, is told "blocked" only.
        blake.await("user-offline", o -> "blair".equals(o.field("user")));
        blair.assertNone(o -> o.is("user-offline") && "blake".equals(o.field("user")), "blake logged out: he did not");
        blair.send("blocked");
        assertEquals(List.of("blake"), blair.await("block-list", o -> !o.list("users").isEmpty()).list("users"));

        // Blake can no longer message blair: a clear error, and nothing reaches her.
        blake.send("message blair are you there?");
        var refused = blake.await("error");
        assertEquals("blocked", refused.field("code"), refused.toString());
        blake.send("message bess still talking to you");
        blake.await("sent", o -> "bess".equals(o.field("to")));
        assertEquals("still talking to you", bess.await("message").field("text"));
        blair.assertNone(o -> o.is("message"), "a message from the user she blocked");

        // Broadcasts: neither sees the other's; bess sees both.
        blair.send("broadcast from blair");
        blair.await("broadcast-sent");
        assertEquals("from blair", bess.await("broadcast").field("text"));
        blake.assertNone(o -> o.is("broadcast"), "a broadcast from the user who blocked him");
        blake.send("broadcast from blake");
        blake.await("broadcast-sent");
        assertEquals("from blake", bess.await("broadcast").field("text"));
        blair.assertNone(o -> o.is("broadcast"), "a broadcast from the user she blocked");

        // Presence lists: each is invisible to the other.
        blair.send("whoelse");
        List<String> blairSees = blair.await("online").list("users");
        assertTrue(blairSees.contains("bess") && !blairSees.contains("blake"), blairSees.toString());
        blake.send("whoelse");
        List<String> blakeSees = blake.await("online").list("users");
        assertTrue(blakeSees.contains("bess") && !blakeSees.contains("blair"), blakeSees.toString());

        // Presence notices: blake leaves and comes back; bess is told, blair is not.
        blake.closeInput();
        assertEquals(0, blake.exitCode());
        bess.await("user-offline", o -> "blake".equals(o.field("user")));
        blair.assertNone(o -> o.is("user-offline") && "blake".equals(o.field("user")), "blake's logout notice");
        NodeProcess blake2 = nodes.login("blake");
        bess.await("user-online", o -> "blake".equals(o.field("user")));
        blair.assertNone(o -> o.is("user-online") && "blake".equals(o.field("user")), "blake's login notice");

        // Unblock: they see each other again, messages and broadcasts flow.
        blair.send("unblock blake");
        blair.await("unblocked", o -> "blake".equals(o.field("user")));
        blake2.await("user-online", o -> "blair".equals(o.field("user")));
        blair.send("whoelse");
        assertTrue(blair.await("online", o -> o.list("users").contains("blake")).list("users").contains("blake"));
        blair.send("blocked");
        assertEquals(List.of(), blair.await("block-list").list("users"));
        blake2.send("message blair sorry");
        blake2.await("sent", o -> "blair".equals(o.field("to")));
        var msg = blair.await("message");
        assertEquals("blake", msg.field("from"));
        assertEquals("sorry", msg.field("text"));
        blair.send("broadcast friends again");
        assertEquals("friends again", blake2.await("broadcast").field("text"));
        blake2.send("whoelse");
        assertTrue(blake2.await("online").list("users").contains("blair"));
    }

    @Test
    void loggingOutTellsTheOthers() {
        NodeProcess lena = nodes.login("lena");
        NodeProcess liam = nodes.login("liam");
        lena.await("user-online", o -> "liam".equals(o.field("user")));

        liam.closeInput();
        liam.await("logged-out", o -> "logout".equals(o.field("reason")));
        assertEquals(0, liam.exitCode());
        lena.await("user-offline", o -> "liam".equals(o.field("user")));
        lena.send("whoelse");
        assertFalse(lena.await("online").list("users").contains("liam"));
    }

    @Test
    void messagesToAnOfflineUserAreDeliveredAtNextLoginInOrder() {
        NodeProcess oona = nodes.login("oona");
        List<String> texts = List.of("first", "second", "third", "fourth", "fifth");
        for (String text : texts) {
            oona.send("message oscar " + text);
        }
        for (int i = 0; i < texts.size(); i++) {
            var sent = oona.await("sent");
            assertEquals("offline", sent.field("via"), sent.toString());
            assertEquals("oscar", sent.field("to"));
        }

        NodeProcess oscar = nodes.login("oscar");
        for (String text : texts) {
            var got = oscar.await("message");
            assertEquals(text, got.field("text"), "delivered oldest first");
            assertEquals("offline", got.field("via"));
            assertEquals("oona", got.field("from"));
            assertEquals("oscar", got.field("to"));
        }
        // Acknowledged, so not delivered again at the next login.
        oscar.closeInput();
        assertEquals(0, oscar.exitCode());
        NodeProcess again = nodes.login("oscar");
        again.assertNone(o -> o.is("message"), "a stored message a second time");
    }
}
