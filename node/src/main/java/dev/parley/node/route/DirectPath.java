package dev.parley.node.route;

import dev.parley.common.protocol.PeerFrame;

/** A direct link to peers, as the router sees it. */
public interface DirectPath {
    boolean isUp(String user);

    /** False if there is no link to send on. */
    boolean send(String user, PeerFrame frame);
}
