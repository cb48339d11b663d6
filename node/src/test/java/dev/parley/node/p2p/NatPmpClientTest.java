package dev.parley.node.p2p;

import static dev.parley.node.p2p.Futures.await;
import static dev.parley.node.p2p.Futures.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.node.time.ManualNodeClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NAT-PMP client against a small fake router on loopback: it asks for the public address,
 * then the mapping; ignores what is not the gateway's answer to it; resends on the RFC's schedule,
 * cut short; and reports a refusal or silence as a failure.
 */
class NatPmpClientTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int PORT = 40000;

    private Vertx vertx;
    private final ManualNodeClock clock = new ManualNodeClock();
    private FakeRouter router;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (router != null) {
            router.close();
        }
        await(vertx.close());
    }

    private NatPmpClient client() {
        return new NatPmpClient(vertx, clock, "127.0.0.1", () -> Optional.of(router.address()), NatPmpClient.WAITS);
    }

    @Test
    void asksForThePublicAddressThenTheMappingAndIgnoresWhatIsNotTheGatewaysAnswer() throws Exception {
        router = new FakeRouter((request, from) -> {
            if (request[1] == NatPmp.OP_PUBLIC_ADDRESS) {
                // Garbage first, then the answer.
                return List.of(HEX.parseHex("ffff"), HEX.parseHex("0080000000000002cb00710b"));
            }
            // An answer for another port first, then ours: external port 41000 for an hour.
            return List.of(HEX.parseHex("00820000000000029c419c4000000e10"), HEX.parseHex("00820000000000029c40a02800000e10"));
        });
        try (DatagramSocket impostor = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            router.impostor = impostor; // also answers from another port: not the gateway
            Future<PortMapper.Granted> granted = client().map(PORT, Duration.ofHours(2));
            assertArrayEquals(NatPmp.publicAddressRequest(), router.nextRequest());
            assertArrayEquals(NatPmp.mapTcpRequest(PORT, 7200), router.nextRequest());
            assertEquals(new PortMapper.Granted("203.0.113.11:41000", Duration.ofHours(1)), await(granted));
        }
        assertNull(router.requests.poll(200, TimeUnit.MILLISECONDS), "nothing sent again once answered");
    }

    @Test
    void resendsOnTheRfcScheduleCutShortThenGivesUp() throws Exception {
        router = new FakeRouter((request, from) -> List.of());
        Future<PortMapper.Granted> granted = client().map(PORT, Duration.ofHours(2));
        router.nextRequest();
        clock.advance(Duration.ofMillis(249));
        assertNull(router.requests.poll(100, TimeUnit.MILLISECONDS), "not before 250 ms");
        clock.advance(Duration.ofMillis(1));
        router.nextRequest();
        clock.advance(Duration.ofMillis(500));
        router.nextRequest();
        clock.advance(Duration.ofMillis(1000));
        assertEquals("no NAT-PMP answer from the router 127.0.0.1:" + router.address().getPort() + " in 1750 ms",
                failure(granted, "silence was a mapping"));
        clock.advance(Duration.ofSeconds(10));
        assertNull(router.requests.poll(200, TimeUnit.MILLISECONDS), "three sends in all");
    }

    @Test
    void anAnswerToAResentRequestIsTaken() throws Exception {
        int[] seen = {0};
        router = new FakeRouter((request, from) -> ++seen[0] < 2 ? List.of()
                : request[1] == NatPmp.OP_PUBLIC_ADDRESS ? List.of(HEX.parseHex("0080000000000002cb00710b"))
                : List.of(HEX.parseHex("00820000000000029c409c4000001c20")));
        Future<PortMapper.Granted> granted = client().map(PORT, Duration.ofHours(2));
        router.nextRequest();
        clock.advance(Duration.ofMillis(250));
        router.nextRequest();
        router.nextRequest();
        assertEquals(new PortMapper.Granted("203.0.113.11:40000", Duration.ofHours(2)), await(granted));
    }

    @Test
    void aRefusalIsAFailureThatSaysWhy() throws Exception {
        router = new FakeRouter((request, from) -> request[1] == NatPmp.OP_PUBLIC_ADDRESS
                ? List.of(HEX.parseHex("0080000000000002cb00710b"))
                : List.of(HEX.parseHex("00820002000000029c409c4000000000")));
        assertEquals("the router 127.0.0.1:" + router.address().getPort() + " refused: not authorized or refused",
                failure(client().map(PORT, Duration.ofHours(2)), "a refusal was a mapping"));

        router.close();
        router = new FakeRouter((request, from) -> List.of(HEX.parseHex("008000030000000400000000")));
        assertEquals("the router 127.0.0.1:" + router.address().getPort()
                        + " refused: network failure (the router has no public address)",
                failure(client().map(PORT, Duration.ofHours(2)), "no public address was a mapping"));
    }

    @Test
    void unmappingAsksForALifetimeOfZero() throws Exception {
        router = new FakeRouter((request, from) -> List.of(HEX.parseHex("00820000000000029c40000000000000")));
        await(client().unmap(PORT));
        assertArrayEquals(NatPmp.mapTcpRequest(PORT, 0), router.nextRequest());
    }

    @Test
    void withoutAGatewayNothingIsAsked() throws Exception {
        NatPmpClient client = new NatPmpClient(vertx, clock, "127.0.0.1", Optional::empty, NatPmpClient.WAITS);
        assertEquals("no default gateway to ask for a port mapping", failure(client.map(PORT, Duration.ofHours(2)), "mapped"));
    }

    /** A NAT-PMP "router" on a loopback port: records each request and sends back what {@code answers} says. */
    private static final class FakeRouter implements AutoCloseable {
        final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
        private final DatagramSocket socket;
        private final Thread thread;
        volatile DatagramSocket impostor;

        FakeRouter(BiFunction<byte[], SocketAddress, List<byte[]>> answers) throws IOException {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                byte[] buffer = new byte[64];
                while (!socket.isClosed()) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                        byte[] request = Arrays.copyOf(packet.getData(), packet.getLength());
                        requests.add(request);
                        for (byte[] answer : answers.apply(request, packet.getSocketAddress())) {
                            DatagramSocket other = impostor;
                            if (other != null) {
                                other.send(new DatagramPacket(ByteBuffer.wrap(answer).array(), answer.length,
                                        packet.getSocketAddress()));
                            }
                            socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "fake-nat-pmp-router");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        byte[] nextRequest() throws InterruptedException {
            byte[] request = requests.poll(20, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("no request reached the router");
            }
            return request;
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(10_000);
        }
    }
}
