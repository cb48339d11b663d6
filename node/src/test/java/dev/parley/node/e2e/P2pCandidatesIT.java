package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.SessionClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consented peer chooses the addresses the node dials. A rogue one (the test, over a raw
 * session) announces sixteen services that are not Parley nodes: the node dials at most eight,
 * each once, and does not come back to them.
 */
class P2pCandidatesIT {
    /** A node retries a failed dial after 2 s at first (DialTargets.FIRST_RETRY); watch for longer. */
    static final Duration NO_RETRY_WATCH = Duration.ofSeconds(6);

    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();
    final List<FakeService> services = new ArrayList<>();

    @AfterEach
    void stopServices() {
        services.forEach(FakeService::close);
    }

    @Test
    void atMostEightAnnouncedAddressesAreDialedAndOnesThatAreNotParleyNodesNeverAgain() throws Exception {
        NodeProcess node = P2p.login(nodes, "p2c");
        List<Candidate> addresses = new ArrayList<>();
        for (int i = 0; i < Candidate.MAX; i++) {
            FakeService ssh = new FakeService("SSH-2.0-OpenSSH_9.6\r\n");
            services.add(ssh);
            addresses.add(Candidate.local("127.0.0.1:" + ssh.port()));
        }
        try (SessionClient rogue = nodes.session("p3c")) {
            String key = IdentityKeys.encode(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
            rogue.send(new ClientMessage.Announce("a1", key, null, addresses, false));
            rogue.expect(ServerMessage.Ok.class);
            node.send("getaddress p3c");
            rogue.expect(ServerMessage.ConsentRequest.class);
            rogue.send(new ClientMessage.Consent("c1", "p2c"));
            node.await("introduced", o -> "p3c".equals(o.field("user")));

            var failed = node.await(o -> o.is("link-failed") && "p3c".equals(o.field("user")), P2p.LINK_TIMEOUT, "link-failed");
            assertTrue(failed.field("reason").contains("not tried again"), failed.toString());
            List<Integer> dialed = services.stream().map(FakeService::connections).filter(n -> n > 0).toList();
            assertTrue(dialed.size() <= 8, "dialed " + dialed.size() + " of the 16 addresses");
            assertTrue(dialed.stream().allMatch(n -> n == 1), "each at most once: " + dialed);

            // No retry: the first would come 2 s after the failure.
            assertTrue(node.poll(o -> o.is("link-failed") && "p3c".equals(o.field("user")), NO_RETRY_WATCH).isEmpty(),
                    node.transcript());
            assertEquals(dialed, services.stream().map(FakeService::connections).filter(n -> n > 0).toList(),
                    "no address was dialed again");
        }
    }

    /** A TCP service on loopback that is not a Parley node: greets with a banner, counts who connects. */
    static final class FakeService implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        FakeService(String banner) throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread talk = new Thread(() -> talk(s, banner), "fake-service-conn");
                        talk.setDaemon(true);
                        talk.start();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "fake-service-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void talk(Socket s, String banner) {
            try (s) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(banner.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[4096];
                while (in.read(buffer) >= 0) {
                    // until the node hangs up
                }
            } catch (IOException e) {
                // reset or timed out: done either way
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }
}
