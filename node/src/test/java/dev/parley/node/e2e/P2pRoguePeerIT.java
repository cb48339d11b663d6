package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.FrameDecoder;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.SessionClient;
import dev.parley.testsupport.TrustAnything;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A peer that got real consent and then misbehaves on the link: it announces a length prefix far
 * over the limit, or stops in the middle of a frame. The node drops the link and carries on.
 * The rogue is this test itself, logged in to the server as an ordinary user with a key it holds.
 */
class P2pRoguePeerIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();

    @Test
    void aConsentedPeerSendingAnOversizedFrameOrStallingIsDropped() throws Exception {
        NodeProcess ben = P2p.login(nodes, "p8b");
        KeyPair rogueKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        // Log in as p8c, announce the rogue's own key and ask ben for a link.
        try (SessionClient rogue = nodes.session("p8c")) {
            rogue.send(new ClientMessage.Announce("a1", IdentityKeys.encode(rogueKeys.getPublic()), null, List.of(), false));
            rogue.expect(ServerMessage.Ok.class);
            rogue.send(new ClientMessage.GetAddress("g1", "p8b"));
            ben.await("consent-request", o -> "p8c".equals(o.field("from")));
            ben.send("consent p8c");
            ServerMessage.Introduction intro = rogue.expect(ServerMessage.Introduction.class);
            String address = intro.candidates().get(0).address();
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            SSLContext tls = clientContext(rogueKeys);

            // 1. Hello, then a length prefix of 2 GiB.
            try (SSLSocket socket = open(tls, port)) {
                OutputStream out = socket.getOutputStream();
                out.write(FrameDecoder.encode("{\"type\":\"hello\",\"user\":\"p8c\"}"));
                out.flush();
                ben.await("link-up", o -> "p8c".equals(o.field("user")));
                out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
                out.flush();
                var down = ben.await("link-down", o -> "p8c".equals(o.field("user")));
                assertTrue(down.field("reason").contains("oversized"), down.toString());
                assertClosed(socket);
            }

            // 2. Hello, then half a frame, then nothing: dropped as stalled.
            try (SSLSocket socket = open(tls, port)) {
                OutputStream out = socket.getOutputStream();
                out.write(FrameDecoder.encode("{\"type\":\"hello\",\"user\":\"p8c\"}"));
                out.write(new byte[] {0, 0, 0, 100, '{'});
                out.flush();
                ben.await("link-up", o -> "p8c".equals(o.field("user")));
                var down = ben.await("link-down", o -> "p8c".equals(o.field("user")));
                assertTrue(down.field("reason").contains("stalled"), down.toString());
                assertClosed(socket);
            }
        }

        // The node is fine: a real peer still gets a direct link and messages through it.
        NodeProcess ann = P2p.login(nodes, "p8a");
        P2p.link(ann, "p8a", ben, "p8b");
        ann.send("message p8b still working");
        var got = ben.await("message", o -> "still working".equals(o.field("text")));
        assertEquals("direct", got.field("via"));
    }

    @Test
    void aConsentedPeerFloodingMessagesIsSlowedToTheLinkRateAndNothingIsLost() throws Exception {
        NodeProcess node = P2p.login(nodes, "p5c");
        KeyPair rogueKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        try (SessionClient rogue = nodes.session("p7c")) {
            rogue.send(new ClientMessage.Announce("a1", IdentityKeys.encode(rogueKeys.getPublic()), null, List.of(), false));
            rogue.expect(ServerMessage.Ok.class);
            rogue.send(new ClientMessage.GetAddress("g1", "p5c"));
            node.await("consent-request", o -> "p7c".equals(o.field("from")));
            node.send("consent p7c");
            String address = rogue.expect(ServerMessage.Introduction.class).candidates().get(0).address();
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));

            try (SSLSocket socket = open(clientContext(rogueKeys), port)) {
                OutputStream out = socket.getOutputStream();
                out.write(FrameDecoder.encode("{\"type\":\"hello\",\"user\":\"p7c\"}"));
                out.flush();
                node.await("link-up", o -> "p7c".equals(o.field("user")));
                Thread drain = new Thread(() -> assertClosed(socket), "rogue-reads-receipts");
                drain.setDaemon(true);
                drain.start();
                ProtocolCodec codec = new ProtocolCodec();

                // 1. A flood of frames the node handles in no time (receipts for nothing), then one
                // message: it is shown only once the node has read the flood at the link's rate.
                long start = System.nanoTime();
                for (int i = 1; i <= CHEAP_FLOOD; i++) {
                    out.write(FrameDecoder.encode(codec.encode(new PeerFrame.Receipt("r-" + i))));
                }
                out.write(FrameDecoder.encode(codec.encode(new PeerFrame.Chat("after-flood", 1, "after the flood", System.currentTimeMillis(), false))));
                out.flush();
                node.await(o -> o.is("message") && "after-flood".equals(o.field("id")), Duration.ofSeconds(60), "the message after the flood");
                double seconds = (System.nanoTime() - start) / 1e9;
                // LinkRateLimit: a burst of 10,000 frames, then 5,000 a second.
                double atLeast = 0.8 * (CHEAP_FLOOD + 1 - 10_000) / 5_000.0;
                assertTrue(seconds >= atLeast, (CHEAP_FLOOD + 1) + " frames read in " + seconds + " s; the limit allows no less than "
                        + atLeast + " s");

                // 2. Messages over the limit are slowed down, never dropped.
                String text = "x".repeat(1024);
                for (int i = 1; i <= MESSAGES; i++) {
                    out.write(FrameDecoder.encode(codec.encode(new PeerFrame.Chat("f-" + i, i + 1, text, System.currentTimeMillis(), false))));
                }
                out.flush();
                node.await(o -> o.is("message") && ("f-" + MESSAGES).equals(o.field("id")), Duration.ofSeconds(60), "the last message");
                long shown = node.outputs().stream().filter(o -> o.is("message") && o.field("id").startsWith("f-")).count();
                assertEquals(MESSAGES, shown, "slowed down, not dropped");
                node.assertNone(o -> o.is("link-down"), "the link dropping while throttled");
            }
        }
    }

    /** Cheap frames the rogue floods: at the link's rate, about 10 s of reading. */
    static final int CHEAP_FLOOD = 60_000;
    /** 1 KiB messages the rogue sends at once, right after the flood used up the burst: over the limit. */
    static final int MESSAGES = 1500;

    private static SSLSocket open(SSLContext tls, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.setSoTimeout((int) DEADLINE.toMillis());
        socket.startHandshake();
        return socket;
    }

    /** Reads until the node closes the connection (its hello and pings may come first). */
    private static void assertClosed(SSLSocket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // hello, pings
            }
        } catch (IOException e) {
            // reset or closed: as good
        }
    }

    /** TLS 1.3 with a certificate over the rogue's consented key, trusting whatever the node shows. */
    private static SSLContext clientContext(KeyPair keys) throws Exception {
        return TrustAnything.context("TLSv1.3", P2p.identity(keys, "rogue"));
    }
}
