package dev.parley.node.p2p;

import dev.parley.common.protocol.Candidate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The direct way to a peer: TCP to the candidates it announced, vetted and ordered by
 * {@link DialCandidates}, each given {@value #CONNECT_TIMEOUT_MILLIS} ms to connect;
 * then TLS 1.3, which the peer passes only by holding the key the server vouched for. A host name
 * is looked up off the event loop and judged by the address it stands for. What an attempt learns
 * is kept for the next: an address that may not be dialed, or that answers otherwise than as a
 * Parley node, is dropped; one whose handshake fails otherwise is dropped after
 * {@value DialCandidates#FAILED_HANDSHAKES_ALLOWED} failures; one that could not be reached is
 * tried again.
 */
final class TcpDialer implements Dialer {
    /** Direct first: ways that cost more (a relay) rank after it. */
    static final int PRIORITY = 10;
    static final int CONNECT_TIMEOUT_MILLIS = 3000;

    private final Vertx vertx;
    private final Identity identity;
    private final BooleanSupplier localUse;
    private final LinkOpener links;
    private final Supplier<Optional<String>> ownPublicHost;

    /**
     * @param localUse whether this node is set up for local use (its listener is on loopback), so
     *                 loopback addresses may be dialed
     * @param ownPublicHost the host this node was observed at by the server, if known yet
     */
    TcpDialer(Vertx vertx, Identity identity, BooleanSupplier localUse, Supplier<Optional<String>> ownPublicHost,
            LinkOpener links) {
        this.ownPublicHost = ownPublicHost;
        this.vertx = vertx;
        this.identity = identity;
        this.localUse = localUse;
        this.links = links;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public Route route(String user, List<Candidate> candidates) {
        DialCandidates.Choice choice = DialCandidates.choose(candidates, localUse.getAsBoolean(), ownPublicHost.get());
        return new TcpRoute(user, choice);
    }

    /** The candidates of one peer still worth dialing; attempts may overlap, so changes are synchronized. */
    private final class TcpRoute implements Route {
        private final String user;
        /** Why there is nothing to dial once the addresses are gone. */
        private final String whyNone;
        private final DialCandidates.Choice choice;
        private List<String> addresses;
        private final Map<String, Integer> failedHandshakes = new HashMap<>();

        TcpRoute(String user, DialCandidates.Choice choice) {
            this.user = user;
            this.choice = choice;
            this.addresses = choice.addresses();
            this.whyNone = !addresses.isEmpty() ? noneAnswers() : "no address to dial"
                    + (choice.skipped().isEmpty() ? "" : ": not dialing " + String.join(", ", choice.skipped()));
        }

        @Override
        public synchronized Optional<String> exhausted() {
            return addresses.isEmpty() ? Optional.of(whyNone) : Optional.empty();
        }

        private String noneAnswers() {
            return "none of the addresses " + user + " announced answers as a Parley node, so they are not tried again";
        }

        @Override
        public Future<PeerLink> dial(byte[] encodedKey) {
            List<String> toTry;
            synchronized (this) {
                toTry = List.copyOf(addresses);
            }
            Promise<PeerLink> result = Promise.promise();
            NetClient client = vertx.createNetClient(PeerTls.client(identity, encodedKey).setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
            tryNext(client, toTry, 0, "no address to dial", result);
            return result.future();
        }

        private void tryNext(NetClient client, List<String> toTry, int index, String lastError, Promise<PeerLink> result) {
            if (index >= toTry.size()) {
                client.close();
                result.fail(exhausted().isPresent() ? lastError + "; " + noneAnswers() : lastError);
                return;
            }
            String address = toTry.get(index);
            resolve(address).onComplete(resolved -> {
                if (resolved.failed()) {
                    tryNext(client, toTry, index + 1, address + ": " + PeerTls.describe(resolved.cause()), result);
                    return;
                }
                Optional<String> refusal = DialCandidates.refusal(resolved.result(), localUse.getAsBoolean());
                if (refusal.isPresent()) {
                    drop(address);
                    tryNext(client, toTry, index + 1, address + ": not dialed, " + refusal.get(), result);
                    return;
                }
                client.connect(DialCandidates.port(address), resolved.result().getHostAddress()).onComplete(ar -> {
                    if (ar.failed()) {
                        // Not reached at all: maybe later.
                        tryNext(client, toTry, index + 1, address + ": " + PeerTls.describe(ar.cause()), result);
                        return;
                    }
                    NetSocket socket = ar.result();
                    socket.upgradeToSsl().onComplete(tls -> {
                        if (tls.failed()) {
                            socket.close();
                            boolean wrong = DialCandidates.wrongAnswer(tls.cause());
                            if (wrong) {
                                drop(address);
                            } else {
                                failedHandshake(address);
                            }
                            tryNext(client, toTry, index + 1, address + (wrong ? ": does not answer as a Parley node ("
                                    : ": the TLS handshake failed (") + PeerTls.describe(tls.cause()) + ")", result);
                            return;
                        }
                        // The client lives as long as the link: closing it closes its connections.
                        result.complete(links.open(socket, user, client::close, choice.how(address)));
                    });
                });
            });
        }

        /** An address that may not be dialed, or is not a Parley node: never again on this route. */
        private synchronized void drop(String address) {
            if (addresses.contains(address)) {
                List<String> rest = new ArrayList<>(addresses);
                rest.remove(address);
                addresses = List.copyOf(rest);
            }
        }

        /** One more failed handshake at this address; dropped when it has failed too often. */
        private synchronized void failedHandshake(String address) {
            if (failedHandshakes.merge(address, 1, Integer::sum) >= DialCandidates.FAILED_HANDSHAKES_ALLOWED) {
                drop(address);
            }
        }
    }

    /** The address an {@code host:port} stands for: a literal at once, a name looked up off the event loop. */
    private Future<InetAddress> resolve(String address) {
        String host = DialCandidates.host(address);
        if (DialCandidates.isLiteral(host)) {
            return DialCandidates.literal(host).map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture("not an IP address"));
        }
        return vertx.executeBlocking(() -> InetAddress.getByName(host), false);
    }
}
