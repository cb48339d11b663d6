package dev.parley.node.p2p;

import dev.parley.common.protocol.PeerFrame;

/**
 * A connection to one peer, as the {@link LinkRegistry} sees it: a {@link DirectLink} over TLS
 * today; a link over another transport would be one more of these.
 */
interface PeerLink {
    /** The peer whose hello arrived (as it wrote its name); null until then. */
    String peer();

    /** Where the link goes, for messages. */
    String address();

    boolean isOpen();

    /** How the link came up. */
    LinkHow how();

    void send(PeerFrame frame);

    /** Closes the link; its closing is reported like any other. */
    void close(String why);
}
