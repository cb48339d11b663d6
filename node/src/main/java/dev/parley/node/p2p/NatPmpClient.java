package dev.parley.node.p2p;

import dev.parley.common.protocol.PeerAddresses;
import dev.parley.node.time.NodeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks the default gateway for a port mapping with NAT-PMP (RFC 6886), over UDP to its port
 * {@value NatPmp#SERVER_PORT}: first its public address, then the mapping. Each request is sent
 * again on the RFC's schedule (250 ms, doubling) but only {@link #WAITS}' three times, about
 * 1.75 s in all: a router that does not speak NAT-PMP (most say nothing) must not keep anything
 * waiting. Only answers from the gateway's address and port are read, strictly ({@link NatPmp}).
 * Non-blocking: Vert.x datagram sockets and {@link NodeClock} timers.
 */
final class NatPmpClient implements PortMapper {
    static final List<Duration> WAITS = List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000));

    private final Vertx vertx;
    private final NodeClock clock;
    private final String bindHost;
    private final Supplier<Optional<InetSocketAddress>> gateway;
    private final List<Duration> waits;

    /**
     * @param bindHost where requests leave from (the router maps the port of the address they come from)
     * @param gateway  the router's NAT-PMP address, looked up at each request (the network may have changed)
     * @param waits    how long to wait for an answer after each send
     */
    NatPmpClient(Vertx vertx, NodeClock clock, String bindHost, Supplier<Optional<InetSocketAddress>> gateway,
            List<Duration> waits) {
        this.vertx = vertx;
        this.clock = clock;
        this.bindHost = bindHost;
        this.gateway = gateway;
        this.waits = List.copyOf(waits);
    }

    /** A client of the default gateway ({@link DefaultGateway}) with the bounded schedule {@link #WAITS}. */
    static NatPmpClient ofDefaultGateway(Vertx vertx, NodeClock clock, String bindHost) {
        return new NatPmpClient(vertx, clock, bindHost,
                () -> DefaultGateway.find().map(g -> new InetSocketAddress(g, NatPmp.SERVER_PORT)), WAITS);
    }

    @Override
    public Future<Granted> map(int port, Duration lifetime) {
        Optional<InetSocketAddress> router = gateway.get();
        if (router.isEmpty()) {
            return Future.failedFuture("no default gateway to ask for a port mapping");
        }
        long seconds = Math.min(lifetime.toSeconds(), NatPmp.MAX_LIFETIME_SECONDS);
        return exchange(router.get(), NatPmp.publicAddressRequest(), NatPmp.OP_PUBLIC_ADDRESS, 0)
                .compose(reply -> reply instanceof NatPmp.PublicAddress a ? Future.succeededFuture(a)
                        : Future.failedFuture(refusal(router.get(), reply)))
                .compose(address -> exchange(router.get(), NatPmp.mapTcpRequest(port, seconds), NatPmp.OP_MAP_TCP, port)
                        .compose(reply -> {
                            if (!(reply instanceof NatPmp.Mapping m)) {
                                return Future.failedFuture(refusal(router.get(), reply));
                            }
                            if (m.lifetimeSeconds() == 0) {
                                return Future.failedFuture(describe(router.get()) + " granted a mapping of no lifetime");
                            }
                            return Future.succeededFuture(new Granted(
                                    PeerAddresses.of(address.address().getHostAddress(), m.externalPort()),
                                    Duration.ofSeconds(m.lifetimeSeconds())));
                        }));
    }

    @Override
    public Future<Void> unmap(int port) {
        Optional<InetSocketAddress> router = gateway.get();
        if (router.isEmpty()) {
            return Future.failedFuture("no default gateway");
        }
        return exchange(router.get(), NatPmp.mapTcpRequest(port, 0), NatPmp.OP_MAP_TCP, port)
                .compose(reply -> reply instanceof NatPmp.Mapping ? Future.succeededFuture()
                        : Future.failedFuture(refusal(router.get(), reply)));
    }

    /** Sends {@code request} until the gateway answers it or the schedule runs out; one socket per exchange. */
    private Future<NatPmp.Reply> exchange(InetSocketAddress router, byte[] request, int opcode, int internalPort) {
        Promise<NatPmp.Reply> answered = Promise.promise();
        DatagramSocket socket = vertx.createDatagramSocket();
        String routerHost = router.getAddress().getHostAddress();
        socket.handler(packet -> {
            // RFC 6886 §3.1: only the gateway's own answer counts.
            if (!packet.sender().host().equals(routerHost) || packet.sender().port() != router.getPort()) {
                return;
            }
            try {
                answered.tryComplete(NatPmp.parse(packet.data().getBytes(), opcode, internalPort));
            } catch (IllegalArgumentException notTheAnswer) {
                // Garbage or a late answer to another request: keep waiting for ours.
            }
        });
        Retransmission retransmission = new Retransmission(socket, router, Buffer.buffer(request), answered);
        socket.listen(0, bindHost).onSuccess(bound -> retransmission.send(0)).onFailure(answered::tryFail);
        return answered.future().onComplete(done -> {
            retransmission.stop();
            socket.close();
        });
    }

    private final class Retransmission {
        private final DatagramSocket socket;
        private final InetSocketAddress router;
        private final Buffer request;
        private final Promise<NatPmp.Reply> answered;
        private NodeClock.Timer timer;
        private boolean stopped;

        Retransmission(DatagramSocket socket, InetSocketAddress router, Buffer request, Promise<NatPmp.Reply> answered) {
            this.socket = socket;
            this.router = router;
            this.request = request;
            this.answered = answered;
        }

        synchronized void send(int attempt) {
            if (stopped) {
                return;
            }
            // The wait is counted from before the send, so an answer can never come before it starts.
            timer = clock.schedule(waits.get(attempt), () -> {
                if (attempt + 1 < waits.size()) {
                    send(attempt + 1);
                } else {
                    answered.tryFail("no NAT-PMP answer from " + describe(router) + " in "
                            + waits.stream().mapToLong(Duration::toMillis).sum() + " ms");
                }
            });
            socket.send(request, router.getPort(), router.getAddress().getHostAddress())
                    .onFailure(e -> answered.tryFail(describe(router) + " cannot be reached: " + e.getMessage()));
        }

        synchronized void stop() {
            stopped = true;
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private static String refusal(InetSocketAddress router, NatPmp.Reply reply) {
        return reply instanceof NatPmp.Refused r ? describe(router) + " refused: " + r.meaning()
                : describe(router) + " answered out of turn";
    }

    private static String describe(InetSocketAddress router) {
        return "the router " + router.getAddress().getHostAddress() + ":" + router.getPort();
    }
}
