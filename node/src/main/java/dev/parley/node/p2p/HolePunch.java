package dev.parley.node.p2p;

import dev.parley.common.identity.IdentityKeys;
import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PunchPhase;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.Username;
import dev.parley.node.time.NodeClock;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hole punching with a contact, coordinated through the server as libp2p's DCUtR does it over a
 * relay. The initiator sends {@code connect} (with a fresh nonce) and starts a clock; the contact
 * registers the attempt and answers {@code ready}; the initiator, now knowing the round trip
 * through the server, sends {@code sync} and starts dialing half a round trip later, when the
 * contact gets {@code sync} and starts at once. Both dial from the P2P listener's port
 * ({@link SimultaneousOpen}), each at the address the server saw the other at (its
 * {@code observed} candidate, as the server passed it on with the signal).
 *
 * <p>On the connection both ends take the TLS role {@link TlsRole} gives them and trust only the
 * key the server vouched for. A connection counts only if the TLS client's dial made it: the client
 * uses only its own dials, and closes what the contact's dials brought to its listener; the
 * server-role end takes either (its own dial, when the SYNs crossed, or its listener's catch of
 * the client's dial) and the first handshake to finish wins. A signal that matches no attempt
 * (forged, replayed, late) or comes from someone who is not a contact is refused and reported
 * through the rate-limited refusal report.
 */
final class HolePunch {
    /** How long the initiator waits for {@code ready}. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
    /** How long an attempt is remembered (after this a signal for it is stale). */
    static final Duration ATTEMPT_LIFETIME = READY_TIMEOUT.plus(SimultaneousOpen.WINDOW).plusSeconds(5);

    /** Sends one step of a punch to a contact through the server. */
    @FunctionalInterface
    interface Signals {
        void send(String user, PunchPhase phase, String nonce);
    }

    private final Vertx vertx;
    private final NodeClock clock;
    private final Identity identity;
    private final AcceptedKeys accepted;
    private final Signals signals;
    private final Supplier<InetSocketAddress> listenerAddress;
    private final LinkOpener links;
    private final BooleanSupplier localUse;
    private final Consumer<String> refused;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    /**
     * @param listenerAddress the P2P listener's bound address: every dial leaves from there
     * @param refused         told why a signal or a connection was turned away (rate-limited by the caller)
     */
    HolePunch(Vertx vertx, NodeClock clock, Identity identity, AcceptedKeys accepted, Signals signals,
            Supplier<InetSocketAddress> listenerAddress, LinkOpener links, BooleanSupplier localUse, Consumer<String> refused) {
        this.vertx = vertx;
        this.clock = clock;
        this.identity = identity;
        this.accepted = accepted;
        this.signals = signals;
        this.listenerAddress = listenerAddress;
        this.links = links;
        this.localUse = localUse;
        this.refused = refused;
    }

    /** One punch with one contact, on either side. */
    private final class Attempt {
        final String user;
        final String nonce;
        final boolean initiator;
        final long startedNanos = clock.nanoTime();
        final Promise<PeerLink> result = Promise.promise();
        final TlsRole role;
        final byte[] peerKey;
        volatile InetSocketAddress target;
        /** Set once the answer ({@code ready} or {@code sync}) came: a second one is a replay. */
        volatile boolean answered;
        /** Set once a handshake finished: later connections are closed. */
        volatile boolean won;

        Attempt(String user, String nonce, boolean initiator, byte[] peerKey) {
            this.user = user;
            this.nonce = nonce;
            this.initiator = initiator;
            this.peerKey = peerKey;
            this.role = TlsRole.of(identity.fingerprint(), IdentityKeys.fingerprint(peerKey));
            clock.schedule(ATTEMPT_LIFETIME, () -> {
                attempts.remove(nonce, this);
                result.tryFail("the punch with " + user + " timed out");
            });
        }

        boolean from(String sender) {
            return Username.key(sender).equals(Username.key(user));
        }

        boolean windowOpen() {
            return clock.nanoTime() - startedNanos < ATTEMPT_LIFETIME.toNanos() && !result.future().isComplete();
        }
    }

    /** Starts a punch with {@code user}, whose key must be {@code peerKey}; completes with the link or why not. */
    Future<PeerLink> initiate(String user, byte[] peerKey) {
        if (sameKeyAsOurs(peerKey)) {
            return Future.failedFuture("the key the server vouched for as " + user + "'s is this node's own");
        }
        if (underWay(user).isPresent()) {
            // One punch per pair at a time: two would dial the same address pair and get in each other's way.
            return Future.failedFuture("a punch with " + user + " is already under way");
        }
        String nonce = nonce();
        Attempt attempt = new Attempt(user, nonce, true, peerKey);
        attempts.put(nonce, attempt);
        clock.schedule(READY_TIMEOUT, () -> {
            if (!attempt.answered) {
                attempts.remove(nonce, attempt);
                attempt.result.tryFail(user + "'s node did not answer the punch through the server in "
                        + READY_TIMEOUT.toSeconds() + " s");
            }
        });
        signals.send(user, PunchPhase.connect, nonce);
        return attempt.result.future();
    }

    /** A step of a punch from a contact, as the server passed it on. */
    void signal(ServerMessage.PunchSignal s) {
        switch (s.phase()) {
            case connect -> contactAsks(s);
            case ready -> contactReady(s);
            case sync -> contactSynced(s);
        }
    }

    private void contactAsks(ServerMessage.PunchSignal s) {
        Optional<byte[]> key = accepted.of(s.from());
        if (key.isEmpty()) {
            refused.accept("ignored a punch from " + s.from() + ": not a contact of this node");
            return;
        }
        Optional<InetSocketAddress> target = target(s);
        if (target.isEmpty()) {
            refused.accept("ignored a punch from " + s.from() + ": no public address to punch to");
            return;
        }
        if (sameKeyAsOurs(key.get())) {
            refused.accept("ignored a punch from " + s.from() + ": the key vouched for as theirs is this node's own");
            return;
        }
        if (attempts.containsKey(s.nonce())) {
            refused.accept("ignored a punch from " + s.from() + ": it repeats an earlier one");
            return;
        }
        Optional<Attempt> ours = underWay(s.from());
        if (ours.isPresent()) {
            // Both started one at once: the lower key's goes on (both ends decide the same way).
            if (ours.get().role == TlsRole.CLIENT) {
                return;
            }
            attempts.remove(ours.get().nonce, ours.get());
            ours.get().result.tryFail(s.from() + " started a punch at the same moment; answering theirs");
        }
        Attempt attempt = new Attempt(s.from(), s.nonce(), false, key.get());
        if (attempts.putIfAbsent(s.nonce(), attempt) != null) {
            refused.accept("ignored a punch from " + s.from() + ": it repeats an earlier one");
            return;
        }
        attempt.target = target.get();
        attempt.result.future().onFailure(e -> attempts.remove(s.nonce(), attempt));
        signals.send(s.from(), PunchPhase.ready, s.nonce());
    }

    private void contactReady(ServerMessage.PunchSignal s) {
        Attempt attempt = attempts.get(s.nonce());
        if (attempt == null || !attempt.initiator || !attempt.from(s.from()) || attempt.answered) {
            refused.accept("ignored a punch answer from " + s.from() + ": it matches no punch of this node");
            return;
        }
        attempt.answered = true;
        Optional<InetSocketAddress> target = target(s);
        if (target.isEmpty()) {
            attempt.result.tryFail(s.from() + " has no public address to punch to");
            return;
        }
        attempt.target = target.get();
        long roundTrip = clock.nanoTime() - attempt.startedNanos;
        signals.send(s.from(), PunchPhase.sync, s.nonce());
        // The sync reaches the contact about half a round trip from now: start together.
        clock.schedule(Duration.ofNanos(roundTrip / 2), () -> dial(attempt));
    }

    private void contactSynced(ServerMessage.PunchSignal s) {
        Attempt attempt = attempts.get(s.nonce());
        if (attempt == null || attempt.initiator || !attempt.from(s.from()) || attempt.answered) {
            refused.accept("ignored a punch from " + s.from() + ": it matches no punch of this node");
            return;
        }
        attempt.answered = true;
        dial(attempt);
    }

    /**
     * The listener's catch: a connection from an address we are punching to. Returns whether the
     * punch took it (then it is the punch's to secure or close).
     */
    boolean claim(NetSocket socket) {
        InetSocketAddress from = new InetSocketAddress(socket.remoteAddress().hostAddress(), socket.remoteAddress().port());
        Optional<Attempt> attempt = attempts.values().stream()
                .filter(a -> from.equals(a.target) && a.windowOpen()).findFirst();
        if (attempt.isEmpty()) {
            return false;
        }
        Attempt a = attempt.get();
        if (a.role == TlsRole.CLIENT || a.won) {
            // Only the TLS client's dials make the link: this one is the contact's, caught by our listener.
            ConnectionReset.reset(socket);
            return true;
        }
        secure(a, ((NetSocketInternal) socket).channelHandlerContext().pipeline().channel(), Future.succeededFuture(socket));
        return true;
    }

    private void dial(Attempt attempt) {
        if (!attempt.windowOpen() || attempt.won) {
            return;
        }
        new SimultaneousOpen(vertx, clock, listenerAddress.get()).open(attempt.target).onComplete(opened -> {
            if (opened.failed()) {
                attempt.result.tryFail(PeerTls.describe(opened.cause()));
                return;
            }
            Channel channel = opened.result();
            if (attempt.won) {
                ConnectionReset.reset(channel);
                return;
            }
            secure(attempt, channel, null);
        });
    }

    /**
     * TLS in the attempt's role on a new connection; on success the link is opened and the attempt
     * won. {@code vertxSocket} is the socket if the connection is one already (the listener's), else
     * null: then the raw channel is made one.
     */
    private void secure(Attempt attempt, Channel channel, Future<NetSocket> vertxSocket) {
        SslHandler handler;
        try {
            handler = PunchTls.handler(identity, attempt.peerKey, attempt.role, channel);
        } catch (Exception e) {
            ConnectionReset.reset(channel);
            attempt.result.tryFail("cannot set up TLS: " + PeerTls.describe(e));
            return;
        }
        Future<Void> handshake = PunchTls.start(channel.pipeline(), handler);
        Future<NetSocket> socket = vertxSocket != null ? vertxSocket : PunchedSocket.wrap(vertx, channel);
        Future.all(handshake, socket).onComplete(done -> {
            if (done.failed()) {
                ConnectionReset.reset(channel);
                if (attempt.role == TlsRole.SERVER && vertxSocket == null) {
                    // Our dial reached the client's listener, which closes it (only the client's dials count):
                    // it has opened our side's mapping all the same, so the client's dial can now reach ours.
                    clock.schedule(SimultaneousOpen.WINDOW, () -> attempt.result.tryFail(
                            "no connection from " + attempt.user + "'s dial in " + SimultaneousOpen.WINDOW.toSeconds() + " s"));
                } else {
                    attempt.result.tryFail("the TLS handshake after the punch failed (" + PeerTls.describe(done.cause()) + ")");
                }
                return;
            }
            synchronized (attempt) {
                if (attempt.won) {
                    ConnectionReset.reset(channel);
                    return;
                }
                attempt.won = true;
            }
            attempts.remove(attempt.nonce, attempt);
            attempt.result.tryComplete(links.open(socket.result(), attempt.user, () -> { }, LinkHow.PUNCHED));
        });
    }

    /** Where to punch to: the contact's first {@code observed} candidate, an IP address that may be dialed. */
    private Optional<InetSocketAddress> target(ServerMessage.PunchSignal s) {
        return punchTarget(s.candidates(), localUse.getAsBoolean());
    }

    /** The first {@code observed} candidate, if it is an IP address that may be dialed. */
    static Optional<InetSocketAddress> punchTarget(java.util.List<Candidate> candidates, boolean localUse) {
        return candidates.stream().filter(c -> c.type() == Candidate.Type.observed).findFirst()
                .flatMap(c -> punchable(c.address(), localUse));
    }

    private static Optional<InetSocketAddress> punchable(String address, boolean localUse) {
        try {
            dev.parley.common.protocol.PeerAddresses.require(address);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String host = DialCandidates.host(address);
        if (!DialCandidates.isLiteral(host)) {
            return Optional.empty();
        }
        return DialCandidates.literal(host).filter(ip -> DialCandidates.refusal(ip, localUse).isEmpty())
                .map(ip -> new InetSocketAddress(ip, DialCandidates.port(address)));
    }

    /** The punch with {@code user} in progress, if any (either side's). */
    private Optional<Attempt> underWay(String user) {
        return attempts.values().stream().filter(a -> a.from(user) && !a.result.future().isComplete()).findFirst();
    }

    /** Two ends with one key cannot be told apart, nor given TLS roles ({@link TlsRole}). */
    private boolean sameKeyAsOurs(byte[] peerKey) {
        return java.util.Arrays.equals(peerKey, identity.publicKey().getEncoded());
    }

    private String nonce() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
