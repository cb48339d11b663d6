package dev.parley.node.p2p;

import dev.parley.common.protocol.PeerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A link with no socket: records what is sent and why it was closed; closing reports to {@code onClose}. */
final class FakeLink implements PeerLink {
    final String peer;
    final String address;
    final List<PeerFrame> sent = new ArrayList<>();
    String closedWhy;
    LinkHow how = LinkHow.LAN;
    private final BiConsumer<FakeLink, String> onClose;

    FakeLink(String peer, String address, BiConsumer<FakeLink, String> onClose) {
        this.peer = peer;
        this.address = address;
        this.onClose = onClose;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public String address() {
        return address;
    }

    /** This link, as having come up {@code how}. */
    FakeLink as(LinkHow how) {
        this.how = how;
        return this;
    }

    @Override
    public LinkHow how() {
        return how;
    }

    @Override
    public boolean isOpen() {
        return closedWhy == null;
    }

    @Override
    public void send(PeerFrame frame) {
        sent.add(frame);
    }

    @Override
    public void close(String why) {
        if (closedWhy == null) {
            closedWhy = why;
            onClose.accept(this, why);
        }
    }
}
