package dev.parley.node;

import dev.parley.common.protocol.PeerFrame;
import dev.parley.node.output.Event;
import dev.parley.node.output.Notices;
import dev.parley.node.p2p.LinkHow;
import dev.parley.node.p2p.PeerLinks;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.PunchPhase;

/** What the direct links report: links up and down (rerouting what a lost link left unconfirmed), messages and receipts. */
final class LinkEvents implements PeerLinks.Listener {
    private final Node node;

    LinkEvents(Node node) {
        this.node = node;
    }

    @Override
    public void linkUp(String peer, String address, LinkHow how) {
        node.print(Notices.linkUp(peer, address, how.word()));
    }

    @Override
    public void punchSignal(String peer, PunchPhase phase, String nonce) {
        // Untracked, no reply expected: a punch that gets no answer fails on its own timer.
        node.session().tell(new ClientMessage.Punch(null, peer, phase, nonce));
    }

    @Override
    public void linkDown(String peer, String why) {
        int rerouted = node.router().linkDown(peer);
        if (rerouted > 0) {
            node.print(Notices.rerouted(peer, rerouted));
        }
        node.print(Notices.linkDown(peer, why));
    }

    @Override
    public void dialFailed(String peer, String why) {
        node.print(Notices.linkFailed(peer, why));
    }

    @Override
    public void refused(String why) {
        node.print(Notices.peerRefused(why));
    }

    @Override
    public void received(String peer, PeerFrame frame) {
        if (frame instanceof PeerFrame.Chat chat) {
            Event event = Notices.directMessage(chat.id(), peer, node.user(), chat.text(), chat.sentAt());
            // The same message may come again through the server (the sender reroutes what the
            // link did not confirm): one record for both paths, and the receipt once recorded.
            PeerLinks links = node.links();
            node.shown().showOnce(peer, chat.id(), () -> node.show(event), () -> links.send(peer, new PeerFrame.Receipt(chat.id())));
        } else if (frame instanceof PeerFrame.Receipt receipt) {
            node.router().receipt(receipt.id());
        }
    }
}
