package dev.parley.node.p2p;

import java.util.Locale;

/** How a direct link came up, as {@code link-up} and {@code contacts} tell it. */
public enum LinkHow {
    /** Dialed a LAN address the peer announced ({@code local}). */
    LAN,
    /** Dialed the address the peer's user gave with {@code --advertise}. */
    ADVERTISED,
    /** Dialed a port mapping the peer's router granted. */
    MAPPED,
    /** Dialed the public address the server saw the peer at, and it answered as it was. */
    OBSERVED,
    /** Both nodes dialed each other at once, coordinated through the server: a hole punch. */
    PUNCHED,
    /** The peer dialed this node's listener. */
    INCOMING;

    /** The lower-case word events and listings carry. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
