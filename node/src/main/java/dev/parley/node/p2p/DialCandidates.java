package dev.parley.node.p2p;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PeerAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a consented peer's announced candidates this node dials, and in which order. The peer
 * chose them, so they are not trusted to point anywhere harmless:
 * <ul>
 *   <li>they are tried by type: {@code advertised} (the user said so), {@code mapped} (the router
 *       said so), {@code observed} (what the peer's NAT showed the server), then {@code local}
 *       (its LAN addresses, which mean something only on its LAN) — unless both nodes were observed
 *       at the same public address: then they share a LAN (or a host) and {@code local} goes first,
 *       as a way out through the router and back in may not exist (no hairpin NAT);</li>
 *   <li>at most {@value #MAX} are taken from an introduction, malformed ones skipped;</li>
 *   <li>a loopback address (127.0.0.0/8, ::1) is dialed only if this node is set up for local use
 *       (its own P2P listener is on loopback, {@code --p2p-host 127.0.0.1}); link-local
 *       (169.254.0.0/16, fe80::/10), multicast, broadcast and unspecified (0.0.0.0, ::) addresses
 *       never are. A host name is judged by the address it resolves to.</li>
 *   <li>an address that accepts the connection but answers otherwise than as a Parley node (bytes
 *       that are not TLS, another key) is dropped for good ({@link TcpDialer}); one whose handshake
 *       fails otherwise (stalls, is cut off) after {@value #FAILED_HANDSHAKES_ALLOWED} such failures,
 *       since a busy or throttled peer can fail one; one that could not be reached at all is
 *       tried again later.</li>
 * </ul>
 */
final class DialCandidates {
    static final int MAX = 8;
    static final int FAILED_HANDSHAKES_ALLOWED = 3;

    private DialCandidates() {
    }

    /** The addresses to dial, in the order to try them, and why the others are not. */
    record Choice(List<String> addresses, List<String> skipped, Map<String, Candidate.Type> types) {
        /** How a link through this address came up: by the type it was announced as. */
        LinkHow how(String address) {
            return switch (types.getOrDefault(address, Candidate.Type.observed)) {
                case local -> LinkHow.LAN;
                case advertised -> LinkHow.ADVERTISED;
                case mapped -> LinkHow.MAPPED;
                case observed -> LinkHow.OBSERVED;
            };
        }
    }

    /** Whether the peer was observed at our own public host: then it shares our LAN (or host). */
    static boolean sameLan(List<Candidate> candidates, Optional<String> ownPublicHost) {
        return ownPublicHost.isPresent() && candidates.stream()
                .anyMatch(c -> c.type() == Candidate.Type.observed && host(c.address()).equals(ownPublicHost.get()));
    }

    /**
     * @param ownPublicHost the host this node was itself observed at, if it knows (then a peer
     *                      observed at the same host is on its LAN)
     */
    static Choice choose(List<Candidate> candidates, boolean localUse, Optional<String> ownPublicHost) {
        boolean sameLan = sameLan(candidates, ownPublicHost);
        List<Candidate> sorted = candidates.stream()
                .sorted(Comparator.comparingInt(c -> rank(c.type(), sameLan))).toList();
        Map<String, Candidate.Type> types = new HashMap<>();
        sorted.forEach(c -> types.putIfAbsent(c.address(), c.type()));
        List<String> announced = sorted.stream().map(Candidate::address).toList();
        Set<String> chosen = new LinkedHashSet<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < announced.size(); i++) {
            String address = announced.get(i);
            if (chosen.size() >= MAX) {
                skipped.add((announced.size() - i) + " address(es) past the first " + MAX);
                break;
            }
            Optional<InetAddress> ip = Optional.empty();
            try {
                PeerAddresses.require(address);
                String host = host(address);
                if (isLiteral(host)) {
                    ip = Optional.of(literal(host).orElseThrow(() -> new IllegalArgumentException("not an IP address")));
                }
            } catch (IllegalArgumentException e) {
                skipped.add("a malformed address");
                continue;
            }
            Optional<String> refusal = ip.flatMap(a -> refusal(a, localUse));
            if (refusal.isPresent()) {
                skipped.add(address + " (" + refusal.get() + ")");
            } else {
                chosen.add(address);
            }
        }
        return new Choice(List.copyOf(chosen), List.copyOf(skipped), Map.copyOf(types));
    }

    /** Where a type goes in the order of dialing (a stable sort keeps the peer's order within a type). */
    private static int rank(Candidate.Type type, boolean sameLan) {
        return switch (type) {
            case local -> sameLan ? 0 : 4;
            case advertised -> 1;
            case mapped -> 2;
            case observed -> 3;
        };
    }

    /** Why this address may not be dialed, or empty if it may. */
    static Optional<String> refusal(InetAddress address, boolean localUse) {
        if (address.isLoopbackAddress()) {
            return localUse ? Optional.empty() : Optional.of("a loopback address, and this node is not set up for local use");
        }
        if (address.isAnyLocalAddress() || address instanceof Inet4Address v4 && (v4.getAddress()[0] == 0)) {
            return Optional.of("an unspecified address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if (address instanceof Inet4Address && address.getHostAddress().equals("255.255.255.255")) {
            return Optional.of("the broadcast address");
        }
        return Optional.empty();
    }

    /** The host of a {@code host:port} checked by {@link PeerAddresses#require}, without IPv6 brackets. */
    static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** An IP address written out (so no name lookup is needed to judge it). */
    static boolean isLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    /** The address a literal stands for (no DNS); empty if it is not a valid one. */
    static Optional<InetAddress> literal(String host) {
        try {
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a failed handshake got a definite wrong answer: bytes that are not TLS, or a
     * certificate that does not hold the key the server vouched for. Anything else (no answer in
     * time, a close, a reset, an alert) may be a busy or throttled peer.
     */
    static boolean wrongAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.netty.handler.ssl.NotSslRecordException || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }
}
