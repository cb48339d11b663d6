package dev.parley.node.p2p;

import io.vertx.core.net.NetSocket;

/**
 * Turns a socket a dialer connected (TLS up, the peer holding the key the server vouched for) into
 * a link: the hellos, then the link registry. Any dialer that ends with such a socket (direct TCP,
 * or a hole-punched connection) hands it over here.
 */
@FunctionalInterface
interface LinkOpener {
    /** {@code release} frees what the dial holds (its client) once the link closes. */
    PeerLink open(NetSocket socket, String user, Runnable release, LinkHow how);
}
