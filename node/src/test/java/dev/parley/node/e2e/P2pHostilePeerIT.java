package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.FrameDecoder;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.TrustAnything;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whoever connects to a node's P2P port without the consented key is turned away: an impostor
 * with another key, a client without a certificate, random bytes, a sender that dribbles. The
 * node reports each, delivers nothing, and its real link keeps working.
 */
class P2pHostilePeerIT {
    /** The node's TLS handshake limit is 10 s (PeerTls.HANDSHAKE_SECONDS). */
    static final Duration DROP_LIMIT = Duration.ofSeconds(15);

    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();

    @Test
    void impostorWithAnotherKeyIsRefusedAndNothingIsDelivered() throws Exception {
        int port = ServerProcess.freePort();
        NodeProcess ann = P2p.login(nodes, "p5a");
        NodeProcess ben = P2p.login(nodes, "p5b", "--p2p-port", Integer.toString(port));
        P2p.link(ann, "p5a", ben, "p5b");

        // ben now accepts p5a's key. The impostor says it is p5a, holding a key of its own.
        KeyManager[] otherKey = P2p.identity(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "parley-node");
        String outcome = impostor(port, otherKey, "p5a", "I am p5a, honest");
        assertTrue(outcome.startsWith("refused"), "the TLS handshake must fail: " + outcome);
        ben.await("peer-refused");

        // No certificate at all.
        outcome = impostor(port, null, "p5a", "no certificate");
        assertTrue(outcome.startsWith("refused"), "a client without a certificate must be refused: " + outcome);
        ben.await("peer-refused");

        ben.assertNone(o -> o.is("message") || o.is("link-down"), "a message from the impostor or the link dropping");
        assertEquals("direct", send(ann, "p5a", ben, "p5b", "the real one").field("via"), "the real link still works");
        assertEquals("direct", send(ben, "p5b", ann, "p5a", "and back").field("via"));
    }

    @Test
    void garbageAndSlowSendersAreDroppedAndTheNodeKeepsWorking() throws Exception {
        int port = ServerProcess.freePort();
        NodeProcess ann = P2p.login(nodes, "p6a");
        NodeProcess ben = P2p.login(nodes, "p6b", "--p2p-port", Integer.toString(port));
        P2p.link(ann, "p6a", ben, "p6b");

        // Random bytes.
        byte[] noise = new byte[4096];
        new SecureRandom().nextBytes(noise);
        noise[0] = 0x42; // not a TLS handshake record
        try (Socket socket = connect(port)) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            try {
                out.write(noise);
                out.flush();
            } catch (IOException e) {
                // Closed already, before all of it was written: as good.
            }
            assertClosedByPeer(socket, start, DROP_LIMIT, "random bytes");
        }
        ben.await("peer-refused");

        // A TLS record header announcing a big record, then one byte a second: a stalled handshake.
        try (Socket socket = connect(port)) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00});
            out.flush();
            String how = dribbleUntilClosed(socket, start, DROP_LIMIT.plusSeconds(5));
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(how.startsWith("closed"), "the node must drop a slow sender: " + how);
            assertTrue(took <= DROP_LIMIT.toMillis(), "dropped within " + DROP_LIMIT + ", took " + took + " ms");
        }
        ben.await("peer-refused");

        ben.assertNone(o -> o.is("message") || o.is("link-down"), "a message from garbage or the link dropping");
        assertEquals("direct", send(ann, "p6a", ben, "p6b", "still here").field("via"), "the link survived");
        // And a new consent and link still work after all that.
        NodeProcess cara = P2p.login(nodes, "p6c");
        P2p.link(cara, "p6c", ben, "p6b");
        assertEquals("direct", send(cara, "p6c", ben, "p6b", "new link").field("via"));
    }

    @Test
    void aFloodOfConnectionsIsCutShortBeforeAnyHandshakeAndSummedUpInAFewLines() throws Exception {
        int port = ServerProcess.freePort();
        NodeProcess node = P2p.login(nodes, "p4c", "--p2p-port", Integer.toString(port));
        byte[] clientHello = clientHello();
        int handshakes = 0;
        int dropped = 0;
        long start = System.nanoTime();
        for (int i = 0; i < FLOOD && System.nanoTime() - start < FLOOD_TIME.toNanos(); i++) {
            try (Socket socket = connect(port)) {
                socket.setSoTimeout(5000);
                int first;
                try {
                    socket.getOutputStream().write(clientHello);
                    socket.getOutputStream().flush();
                    first = socket.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("connection " + i + " was neither answered nor closed within 5 s");
                } catch (IOException e) {
                    first = -1; // reset: closed at once
                }
                if (first == 0x16) {
                    handshakes++; // the node answered with its TLS handshake
                } else {
                    assertEquals(-1, first, "connection " + i + " got neither a handshake nor a close");
                    dropped++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // IncomingThrottle: 10 at once from one address, then 2 a second.
        int allowed = 10 + (int) Math.ceil(2 * seconds) + 1;
        assertTrue(handshakes <= allowed, handshakes + " handshakes of " + (handshakes + dropped) + " in " + seconds
                + " s; at most " + allowed + " should get that far");
        assertTrue(dropped >= FLOOD / 2, "most are dropped: " + dropped);

        // A few lines, then one that sums up the rest (RefusalReport: 5 a window of 10 s).
        var summary = node.await(o -> o.is("peer-refused") && o.field("reason").contains("more refused connections"),
                Duration.ofSeconds(25), "the summary of refused connections");
        assertTrue(summary.field("reason").matches("\\d+ more refused connections in the last 10 s"), summary.toString());
        long windows = 2 + (long) (seconds / 10);
        long lines = node.outputs().stream().filter(o -> o.is("peer-refused")).count();
        assertTrue(lines <= windows * 6, lines + " peer-refused lines for " + (handshakes + dropped) + " connections");
        node.send("whoami");
        node.await("whoami");
    }

    // ---- helpers ----

    /** How many connections the flood test opens, at most, and for how long. */
    static final int FLOOD = 500;
    static final Duration FLOOD_TIME = Duration.ofSeconds(60);

    /** The first flight of a TLS 1.3 client, to replay on plain sockets. */
    private static byte[] clientHello() throws Exception {
        SSLContext context = TrustAnything.context("TLSv1.3", null);
        SSLEngine engine = context.createSSLEngine("127.0.0.1", 1);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertEquals(0x16, hello[0], "a TLS handshake record");
        return hello;
    }

    /** Sends a message and returns the receiver's event for it. */
    private static NodeProcess.Output send(NodeProcess from, String fromName, NodeProcess to, String toName, String text) {
        from.send("message " + toName + " " + text);
        var got = to.await("message", o -> text.equals(o.field("text")) && fromName.equals(o.field("from")));
        from.await("sent", o -> toName.equals(o.field("to")));
        return got;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
        return socket;
    }

    /** Waits (bounded) for the other end to close: read returns -1 or the connection resets. */
    private static void assertClosedByPeer(Socket socket, long start, Duration limit, String what) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = limit.toMillis() - (System.nanoTime() - start) / 1_000_000;
            assertTrue(left > 0, "the node did not drop " + what + " within " + limit);
            socket.setSoTimeout((int) left);
            try {
                if (in.read(buffer) < 0) {
                    return;
                }
                // A TLS alert, say: keep reading until the close.
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the node did not drop " + what + " within " + limit);
            } catch (IOException e) {
                return; // reset
            }
        }
    }

    /** Writes one byte a second until the node closes the connection; says how it ended. */
    private static String dribbleUntilClosed(Socket socket, long start, Duration limit) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        long deadline = start + limit.toNanos();
        while (System.nanoTime() < deadline) {
            // Reading with a 1 s timeout paces the writes and notices the close at once.
            socket.setSoTimeout(1000);
            try {
                if (in.read() < 0) {
                    return "closed (end of stream)";
                }
            } catch (SocketTimeoutException e) {
                // Still open: send the next byte.
            } catch (IOException e) {
                return "closed (" + e.getMessage() + ")";
            }
            try {
                out.write(0x01);
                out.flush();
            } catch (IOException e) {
                return "closed (write failed: " + e.getMessage() + ")";
            }
        }
        return "still open after " + limit;
    }

    /**
     * Connects over TLS 1.3 with {@code keys} (none: no client certificate), trusting whatever the
     * node presents, says hello as {@code claim} and sends a message. Returns "refused: …" if the
     * node ends the connection without a word, "ACCEPTED: …" if it answers with data.
     */
    private static String impostor(int port, KeyManager[] keys, String claim, String text) throws Exception {
        SSLContext context = TrustAnything.context("TLSv1.3", keys);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setSoTimeout((int) DROP_LIMIT.toMillis());
            long start = System.nanoTime();
            try {
                // In TLS 1.3 the client finishes its side before the server has judged its certificate.
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(FrameDecoder.encode("{\"type\":\"hello\",\"user\":\"" + claim + "\"}"));
                out.write(FrameDecoder.encode("{\"type\":\"message\",\"id\":\"impostor-1\",\"seq\":1,\"text\":\"" + text
                        + "\",\"sentAt\":" + System.currentTimeMillis() + ",\"privateOnly\":false}"));
                out.flush();
                int first = socket.getInputStream().read();
                if (first >= 0) {
                    return "ACCEPTED: the node sent data (" + first + ")";
                }
                return "refused: closed without a word after " + (System.nanoTime() - start) / 1_000_000 + " ms";
            } catch (SocketTimeoutException e) {
                return "not refused: the connection stayed open for " + DROP_LIMIT;
            } catch (IOException e) {
                return "refused: " + e;
            }
        }
    }
}
