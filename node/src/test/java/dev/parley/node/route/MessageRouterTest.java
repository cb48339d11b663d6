package dev.parley.node.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.time.ManualNodeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The routing policy with stand-in paths: direct first, server otherwise, nothing lost in between. */
class MessageRouterTest {
    private final List<PeerFrame.Chat> direct = new ArrayList<>();
    private final List<ClientMessage.Send> server = new ArrayList<>();
    private boolean linkUp;

    private final DirectPath links = new DirectPath() {
        @Override
        public boolean isUp(String user) {
            return linkUp;
        }

        @Override
        public boolean send(String user, PeerFrame frame) {
            if (linkUp) {
                direct.add((PeerFrame.Chat) frame);
            }
            return linkUp;
        }
    };
    /** Replies held back until a test releases them; null means answer at once. */
    private List<Runnable> heldReplies;
    /** If set, how the server answers instead of {@code sent}. */
    private java.util.function.Function<ClientMessage.Send, CompletableFuture<ServerMessage>> answer;
    private final ServerPath relay = message -> {
        ClientMessage.Send send = (ClientMessage.Send) message;
        server.add(send);
        if (answer != null) {
            return answer.apply(send);
        }
        ServerMessage reply = new ServerMessage.Sent(send.id(), send.messageId(), send.to(), ServerMessage.Via.relay);
        if (heldReplies == null) {
            return CompletableFuture.completedFuture(reply);
        }
        CompletableFuture<ServerMessage> f = new CompletableFuture<>();
        heldReplies.add(() -> f.complete(reply));
        return f;
    };
    private final MessageRouter router = new MessageRouter(() -> links, () -> relay, new ManualNodeClock());

    @Test
    void withoutALinkMessagesGoThroughTheServerWithTheirOwnId() throws Exception {
        MessageRouter.Outcome outcome = router.send("bob", "hi").get();
        assertEquals("relay", outcome.via());
        assertEquals(1, server.size());
        assertEquals(outcome.id(), server.get(0).messageId());
        assertTrue(direct.isEmpty());
    }

    @Test
    void withALinkMessagesGoDirectAndCompleteOnTheReceipt() throws Exception {
        linkUp = true;
        CompletableFuture<MessageRouter.Outcome> f = router.send("bob", "hi");
        assertFalse(f.isDone(), "waits for the peer's receipt");
        assertEquals(1, direct.size());
        assertEquals(1, direct.get(0).seq());
        assertTrue(router.receipt(direct.get(0).id()));
        assertEquals("direct", f.get().via());
        assertTrue(server.isEmpty(), "the server relayed nothing");
        assertFalse(router.receipt(direct.get(0).id()), "a receipt counts once");
    }

    @Test
    void whenTheLinkDiesUnconfirmedMessagesGoThroughTheServerInOrderWithTheSameIds() throws Exception {
        linkUp = true;
        List<CompletableFuture<MessageRouter.Outcome>> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sent.add(router.send("bob", "m" + i));
        }
        router.receipt(direct.get(0).id());
        router.receipt(direct.get(1).id());
        linkUp = false;
        assertEquals(3, router.linkDown("Bob"));
        assertEquals(List.of("m3", "m4", "m5"), server.stream().map(ClientMessage.Send::text).toList());
        assertEquals(direct.subList(2, 5).stream().map(PeerFrame.Chat::id).toList(),
                server.stream().map(ClientMessage.Send::messageId).toList());
        assertEquals("direct", sent.get(1).get().via());
        assertEquals("relay", sent.get(4).get().via());

        router.send("bob", "m6").get();
        assertEquals("m6", server.get(3).text(), "newer ones follow the resent ones");
        linkUp = true;
        router.send("bob", "m7");
        assertEquals(7, direct.get(5).seq(), "one sequence per conversation, whatever the path");
    }

    @Test
    void whenTheLinkComesBackMessagesWaitForTheServerToTakeWhatItWasGiven() throws Exception {
        heldReplies = new ArrayList<>();
        router.send("bob", "via server");
        linkUp = true;
        router.send("bob", "still via server: the first is not taken yet");
        assertTrue(direct.isEmpty());
        assertEquals(2, server.size());
        heldReplies.forEach(Runnable::run);
        router.send("bob", "now direct");
        assertEquals(List.of("now direct"), direct.stream().map(PeerFrame.Chat::text).toList());
    }

    @Test
    void privateMessagesGoDirectOnlyAndFailRatherThanReroute() throws Exception {
        var none = router.sendPrivate("bob", "secret");
        assertTrue(none.isCompletedExceptionally(), "no link: refused at once");
        assertTrue(server.isEmpty());

        linkUp = true;
        var confirmed = router.sendPrivate("bob", "one");
        router.receipt(direct.get(0).id());
        assertEquals("direct", confirmed.get().via());
        var lost = router.sendPrivate("bob", "two");
        router.send("bob", "ordinary");
        linkUp = false;
        assertEquals(1, router.linkDown("bob"), "only the ordinary message is rerouted");
        assertTrue(lost.isCompletedExceptionally());
        assertEquals(List.of("ordinary"), server.stream().map(ClientMessage.Send::text).toList());
        assertTrue(direct.get(1).privateOnly());
    }

    @Test
    void everyFailureNamesTheMessageByItsIdAndRecipient() {
        answer = send -> CompletableFuture.completedFuture(
                new ServerMessage.Error(send.id(), ErrorCode.INVALID, "message id already in use"));
        MessageFailed refused = failure(router.send("bob", "clash"));
        assertEquals(MessageFailed.Outcome.REFUSED, refused.outcome());
        assertEquals(server.get(0).messageId(), refused.id());
        assertEquals("bob", refused.to());
        assertEquals(ErrorCode.INVALID, refused.error().code());
        assertTrue(refused.getMessage().contains(refused.id()) && refused.getMessage().contains("bob")
                && refused.getMessage().contains("message id already in use"), refused.getMessage());

        answer = send -> CompletableFuture.failedFuture(new ServerPath.NotAnswered("the session ended before the server answered"));
        MessageFailed unconfirmed = failure(router.send("bob", "lost in flight"));
        assertEquals(MessageFailed.Outcome.UNCONFIRMED, unconfirmed.outcome());
        assertEquals(server.get(1).messageId(), unconfirmed.id());
        assertTrue(unconfirmed.getMessage().startsWith("message " + unconfirmed.id() + " to bob not confirmed"),
                unconfirmed.getMessage());
        assertTrue(unconfirmed.getMessage().contains("\"lost in flight\""), "and a glimpse of the text: " + unconfirmed);

        answer = send -> CompletableFuture.failedFuture(new ServerPath.NotSent("not logged in"));
        assertEquals(MessageFailed.Outcome.NOT_SENT, failure(router.send("bob", "too late")).outcome());
    }

    @Test
    void aPrivateMessageLostWithItsLinkIsUnconfirmedAndNamed() {
        linkUp = true;
        var lost = router.sendPrivate("bob", "secret");
        linkUp = false;
        router.linkDown("bob");
        MessageFailed f = failure(lost);
        assertEquals(MessageFailed.Outcome.UNCONFIRMED, f.outcome());
        assertEquals(direct.get(0).id(), f.id());
        MessageFailed none = failure(router.sendPrivate("bob", "no link"));
        assertEquals(MessageFailed.Outcome.NOT_SENT, none.outcome());
        assertTrue(none.getMessage().contains("getaddress bob"), none.getMessage());
    }

    private static MessageFailed failure(CompletableFuture<MessageRouter.Outcome> f) {
        assertTrue(f.isCompletedExceptionally(), "expected a failure");
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            return assertInstanceOf(MessageFailed.class, e.getCause());
        }
        throw new AssertionError("unreachable");
    }
}
