package dev.parley.node.p2p;

import static dev.parley.node.p2p.Futures.await;
import static dev.parley.node.p2p.Futures.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.Candidate;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct TCP+TLS dialing against a real loopback listener: candidates in order, the first that
 * answers as the vouched key wins; what is not a Parley node is not dialed again; what cannot be
 * reached is.
 */
class TcpDialerTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private Identity alice;
    private Identity bob;
    private PeerListener bobListens;
    private int bobPort;
    private final List<String> bobSaw = new CopyOnWriteArrayList<>();
    /** What alice's dialer handed over: the peer's key as its certificate proved it. */
    private final List<byte[]> opened = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bobListensForAlice() throws Exception {
        vertx = Vertx.vertx();
        alice = Identity.loadOrCreate(dir.resolve("alice"), w -> { });
        bob = Identity.loadOrCreate(dir.resolve("bob"), w -> { });
        AcceptedKeys bobAccepts = new AcceptedKeys();
        bobAccepts.accept("alice", alice.publicKey().getEncoded());
        bobListens = new PeerListener(vertx, NodeClock.of(vertx), bob, bobAccepts, why -> bobSaw.add("refused: " + why),
                (socket, user) -> bobSaw.add("arrived " + user));
        bobPort = await(bobListens.listen("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        bobListens.close();
        await(vertx.close());
    }

    private static List<Candidate> locals(String... addresses) {
        return java.util.Arrays.stream(addresses).map(Candidate::local).toList();
    }

    private TcpDialer dialer(boolean localUse) {
        return new TcpDialer(vertx, alice, () -> localUse, Optional::empty, (socket, user, release, how) -> {
            try {
                opened.add(socket.peerCertificates().get(0).getPublicKey().getEncoded());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return new FakeLink(user, socket.remoteAddress().toString(), (l, why) -> release.run());
        });
    }

    @Test
    void theFirstAddressThatAnswersAsTheVouchedKeyWinsAndWhatIsNotAParleyNodeIsDroppedForGood() throws Exception {
        int dead = deadPort();
        AtomicInteger sshConnections = new AtomicInteger();
        int ssh = bannerService(sshConnections);
        Dialer.Route route = dialer(true).route("bob",
                locals("127.0.0.1:" + dead, "127.0.0.1:" + ssh, "127.0.0.1:" + bobPort));

        PeerLink link = await(route.dial(bob.publicKey().getEncoded()));
        assertEquals("bob", link.peer());
        assertArrayEquals(bob.publicKey().getEncoded(), opened.get(0), "the peer proved the vouched key");
        assertEquals(1, sshConnections.get());

        await(route.dial(bob.publicKey().getEncoded()));
        assertEquals(1, sshConnections.get(), "the address that is not a Parley node is not dialed again");
        assertEquals(Optional.empty(), route.exhausted(), "the unreachable address and bob's are still worth dialing");
        assertTrue(bobSaw.stream().allMatch("arrived alice"::equals), bobSaw.toString());
    }

    @Test
    void aPeerWithoutTheVouchedKeyIsNoParleyNodeAndWhenNothingAnswersTheRouteIsUsedUp() throws Exception {
        byte[] someoneElse = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        Dialer.Route route = dialer(true).route("bob", locals("127.0.0.1:" + bobPort));

        String why = failure(route.dial(someoneElse), "the dial succeeded");
        assertTrue(why.startsWith("127.0.0.1:" + bobPort + ": does not answer as a Parley node"), why);
        assertTrue(why.endsWith("; none of the addresses bob announced answers as a Parley node, so they are not tried again"),
                why);
        assertEquals(Optional.of("none of the addresses bob announced answers as a Parley node, so they are not tried again"),
                route.exhausted());
    }

    @Test
    void anAddressThatCannotBeReachedIsReportedAndKept() throws Exception {
        int dead = deadPort();
        Dialer.Route route = dialer(true).route("bob", locals("127.0.0.1:" + dead));
        String why = failure(route.dial(bob.publicKey().getEncoded()), "the dial succeeded");
        assertTrue(why.startsWith("127.0.0.1:" + dead + ": "), why);
        assertEquals(Optional.empty(), route.exhausted(), "it may answer later");
    }

    @Test
    void loopbackIsNotDialedUnlessThisNodeIsSetUpForLocalUse() {
        Dialer.Route route = dialer(false).route("bob", locals("127.0.0.1:" + bobPort));
        assertEquals(Optional.of("no address to dial: not dialing 127.0.0.1:" + bobPort
                + " (a loopback address, and this node is not set up for local use)"), route.exhausted());
    }

    /** A loopback port nobody listens on. */
    private int deadPort() throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(socket -> socket.close());
        int port = await(server.listen(0, "127.0.0.1")).actualPort();
        await(server.close());
        return port;
    }

    /** A loopback TCP service that is not a Parley node: greets with an SSH banner, counts who connects. */
    private int bannerService(AtomicInteger connections) throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(socket -> {
            connections.incrementAndGet();
            socket.write("SSH-2.0-OpenSSH_9.6\r\n");
        });
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }
}
