package dev.parley.node;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.PunchPhase;
import dev.parley.node.output.Printer;
import dev.parley.node.p2p.Identity;
import dev.parley.node.p2p.LinkHow;
import dev.parley.node.p2p.PeerLinks;
import dev.parley.node.route.MessageRouter;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Two nodes in one process with a direct link between them on 127.0.0.1, and no server: for
 * measuring the link without processes and pipes around it (the benchmark's in-process subject).
 * Everything between the two is the node's own code, wired as {@code NodeMain} wires it: the
 * sender's {@link MessageRouter}, {@link PeerLinks} and their TLS link and peer-frame codec, and
 * the receiver's {@link LinkEvents}, which shows the message and sends the receipt back. The
 * receiver keeps its record of shown messages in memory, as a node without a data directory does.
 */
public final class LinkedNodes implements AutoCloseable {
    /** One of the two: its user, its own Vert.x (a node runs one event loop), its identity and where its events go. */
    public record Side(String user, Vertx vertx, Identity identity, Printer printer) {
    }

    private static final String HOST = "127.0.0.1";

    private final Side to;
    private final Node sender;
    private final PeerLinks senderLinks;
    private final PeerLinks receiverLinks;

    private LinkedNodes(Side to, Node sender, PeerLinks senderLinks, PeerLinks receiverLinks) {
        this.to = to;
        this.sender = sender;
        this.senderLinks = senderLinks;
        this.receiverLinks = receiverLinks;
    }

    /** Completes once both ends have the link up: {@code from} dialed {@code to}, each holding the other's key. */
    public static CompletableFuture<LinkedNodes> open(Side from, Side to) {
        CompletableFuture<Void> senderUp = new CompletableFuture<>();
        CompletableFuture<Void> receiverUp = new CompletableFuture<>();
        Node sender = node(from);
        Node receiver = node(to);
        PeerLinks senderLinks = links(from, sender, senderUp);
        PeerLinks receiverLinks = links(to, receiver, receiverUp);
        LinkedNodes pair = new LinkedNodes(to, sender, senderLinks, receiverLinks);
        CompletableFuture<LinkedNodes> opened = senderLinks.listen(HOST, 0)
                .onSuccess(port -> attach(sender, senderLinks, from, port))
                .compose(ignored -> receiverLinks.listen(HOST, 0))
                .onSuccess(port -> attach(receiver, receiverLinks, to, port))
                .toCompletionStage().toCompletableFuture()
                .thenCompose(port -> {
                    receiverLinks.expect(from.user(), from.identity().encodedPublicKey());
                    senderLinks.dial(to.user(), to.identity().encodedPublicKey(),
                            List.of(new Candidate(Candidate.Type.advertised, HOST + ":" + port)));
                    return CompletableFuture.allOf(senderUp, receiverUp);
                })
                .thenApply(ignored -> pair);
        opened.whenComplete((ok, failure) -> {
            if (failure != null) {
                pair.close();
            }
        });
        return opened;
    }

    /** Sends a message from the first node to the second; completes when the second's receipt is back. */
    public CompletableFuture<MessageRouter.Outcome> send(String text) {
        return sender.router().send(to.user(), text);
    }

    /** Closes both nodes' links (their Vert.x instances are the caller's). */
    @Override
    public void close() {
        senderLinks.close();
        receiverLinks.close();
    }

    private static Node node(Side side) {
        Node node = new Node(side.printer(), "none (" + HOST + " only)");
        node.attach(null, side.user());
        return node;
    }

    /** The node's links, reporting to the node as in {@code NodeMain}; {@code up} completes at the first link up. */
    private static PeerLinks links(Side side, Node node, CompletableFuture<Void> up) {
        PeerLinks.Listener events = node.linkEvents();
        PeerLinks links = new PeerLinks(side.vertx(), NodeClock.of(side.vertx()), side.identity(), new ProtocolCodec(),
                new PeerLinks.Listener() {
                    @Override
                    public void linkUp(String user, String address, LinkHow how) {
                        events.linkUp(user, address, how);
                        up.complete(null);
                    }

                    @Override
                    public void linkDown(String user, String why) {
                        events.linkDown(user, why);
                    }

                    @Override
                    public void dialFailed(String user, String why) {
                        events.dialFailed(user, why);
                        up.completeExceptionally(new IllegalStateException("cannot link to " + user + ": " + why));
                    }

                    @Override
                    public void refused(String why) {
                        events.refused(why);
                    }

                    @Override
                    public void received(String user, PeerFrame frame) {
                        events.received(user, frame);
                    }

                    @Override
                    public void punchSignal(String user, PunchPhase phase, String nonce) {
                        // No server to pass a punch through: the dial is to a loopback address, never punched.
                    }
                });
        links.me(side.user());
        return links;
    }

    /** What {@code NodeMain} does once the listener is up (nothing announced: there is no server). */
    private static void attach(Node node, PeerLinks links, Side side, int port) {
        node.attachPeers(links, side.identity(), port, List.of(), true, Optional.empty());
    }
}
