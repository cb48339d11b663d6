package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.PeerFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One live link per peer: a newer one replaces the older (unless both ends dialed), a peer goes down once, nothing is sent without a link. */
class LinkRegistryTest {
    private final RecordingListener listener = new RecordingListener();
    /** Here the links this node dialed (not incoming) are the lower key's, as if ours were the lower. */
    private final LinkRegistry registry = new LinkRegistry(listener, l -> l.how() != LinkHow.INCOMING);

    /** A link whose closing is reported to the registry, as a real link's close event is. */
    private FakeLink link(String peer, String address) {
        return new FakeLink(peer, address, (l, why) -> registry.closed(l, why));
    }

    @Test
    void aNewerLinkFromTheSameEndReplacesTheOlderWithoutADownReport() {
        FakeLink older = link("Bob", "10.0.0.2:4000");
        FakeLink newer = link("bob", "10.0.0.3:4000");
        registry.up(older.as(LinkHow.INCOMING));
        registry.up(newer.as(LinkHow.INCOMING));

        assertEquals("replaced by a newer link", older.closedWhy);
        assertNull(newer.closedWhy);
        assertEquals(List.of("up Bob 10.0.0.2:4000 incoming", "up bob 10.0.0.3:4000 incoming"), listener.reports,
                "the replaced link closes without the peer going down");
        assertTrue(registry.send("BOB", new PeerFrame.Ping()), "names compare by their key");
        assertEquals(1, newer.sent.size());
        assertEquals(0, older.sent.size());
    }

    @Test
    void whenBothEndsDialedTheLinkTheLowerKeyDialedStaysWhicheverCameFirst() {
        FakeLink ours = link("bob", "10.0.0.2:4000");
        FakeLink theirs = link("bob", "10.0.0.2:51000");
        registry.up(ours.as(LinkHow.LAN));
        registry.up(theirs.as(LinkHow.INCOMING));

        assertEquals("both ends dialed; the other link stays", theirs.closedWhy);
        assertNull(ours.closedWhy);
        assertEquals(List.of("up bob 10.0.0.2:4000 lan"), listener.reports, "the link that stays was already up");
        assertTrue(registry.send("bob", new PeerFrame.Ping()));
        assertEquals(1, ours.sent.size());

        // The other order: the link ours replaces theirs.
        FakeLink theirsFirst = link("cat", "10.0.0.3:51000");
        FakeLink oursLater = link("cat", "10.0.0.3:4000");
        registry.up(theirsFirst.as(LinkHow.INCOMING));
        registry.up(oursLater.as(LinkHow.LAN));
        assertEquals("replaced by a newer link", theirsFirst.closedWhy);
        assertNull(oursLater.closedWhy);
    }

    @Test
    void aPeerGoesDownOnceWhenItsLinkCloses() {
        FakeLink link = link("bob", "10.0.0.2:4000");
        registry.up(link.as(LinkHow.LAN));
        assertTrue(registry.isUp("bob"));

        link.close("peer stopped answering");
        assertFalse(registry.closed(link, "closed again"), "a link no longer live is not reported again");
        assertFalse(registry.isUp("bob"));
        assertEquals(List.of("up bob 10.0.0.2:4000 lan", "down bob: peer stopped answering"), listener.reports);
    }

    @Test
    void forgettingClosesTheLinkAndReportsItDownOnce() {
        FakeLink link = link("bob", "10.0.0.2:4000");
        registry.up(link.as(LinkHow.INCOMING));

        registry.forget("Bob", "bob stopped the private link");
        assertEquals("bob stopped the private link", link.closedWhy);
        assertEquals(List.of("up bob 10.0.0.2:4000 incoming", "down bob: bob stopped the private link"), listener.reports,
                "its close event does not report it down a second time");
        registry.forget("bob", "again");
        assertEquals(2, listener.reports.size(), "nothing to forget twice");
    }

    @Test
    void sendingWithoutALinkOrOnAClosedOneIsFalse() {
        assertFalse(registry.send("bob", new PeerFrame.Ping()));
        assertFalse(registry.isUp("bob"));

        // Closed but its close event not yet through: not up, nothing sent.
        FakeLink link = new FakeLink("bob", "10.0.0.2:4000", (l, why) -> { });
        registry.up(link.as(LinkHow.LAN));
        link.close("connection failed");
        assertFalse(registry.isUp("bob"));
        assertFalse(registry.send("bob", new PeerFrame.Ping()));
        assertEquals(List.of(), link.sent);
    }
}
