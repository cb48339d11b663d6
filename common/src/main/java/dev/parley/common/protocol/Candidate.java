package dev.parley.common.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One way a peer might reach a node's P2P listener: a {@code host:port} and where it came from.
 * Announced by the node; the server passes them on only to a consented peer, adding at most the
 * address it saw the node at ({@link Type#observed}).
 */
public record Candidate(Type type, String address) {
    /** At most this many candidates in one announcement or introduction. */
    public static final int MAX = 16;

    public enum Type {
        /** An address of one of the node's own interfaces (its LAN). */
        local,
        /** The public address:port the node's P2P port maps to, as the server saw it (server-reflexive). */
        observed,
        /** What the user gave with {@code --advertise}, e.g. a port forwarded by hand. */
        advertised,
        /** A port mapping the router granted (UPnP-IGD, NAT-PMP, PCP); nodes ask with NAT-PMP. */
        mapped
    }

    public Candidate {
        Fields.require("type", type);
        PeerAddresses.require(address);
    }

    public static Candidate local(String address) {
        return new Candidate(Type.local, address);
    }

    /** A bounded, null-free copy of a list of candidates ({@code null} stands for none). */
    static List<Candidate> list(String field, List<Candidate> candidates) {
        if (candidates == null) {
            return List.of();
        }
        if (candidates.size() > MAX) {
            throw new IllegalArgumentException("at most " + MAX + " " + field);
        }
        if (candidates.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("field '" + field + "' holds a null");
        }
        return List.copyOf(candidates);
    }
}
