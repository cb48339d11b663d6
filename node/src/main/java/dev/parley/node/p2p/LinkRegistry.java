package dev.parley.node.p2p;

import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.Username;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * One live link per peer. A link joins once the peer's hello arrived; a newer link to the same
 * peer replaces the older one, which is closed without a down report, unless the two were dialed
 * from opposite ends (both nodes dialed at once): then both ends keep the one the node with the
 * lower key fingerprint dialed, so they keep the same connection. A peer goes down once: when its
 * live link closes, or when it is forgotten.
 */
final class LinkRegistry {
    private final PeerLinks.Listener listener;
    private final Predicate<PeerLink> dialedByLowerKey;
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();

    /** @param dialedByLowerKey whether a link was dialed by whichever of its two ends has the lower key fingerprint */
    LinkRegistry(PeerLinks.Listener listener, Predicate<PeerLink> dialedByLowerKey) {
        this.listener = listener;
        this.dialedByLowerKey = dialedByLowerKey;
    }

    /** The peer said hello on {@code link}: it is the peer's live link now (or, see above, the one it has stays). */
    void up(PeerLink link) {
        String key = Username.key(link.peer());
        PeerLink previous;
        synchronized (this) {
            previous = links.get(key);
            if (previous != null && previous != link && previous.isOpen()
                    && dialedByLowerKey.test(previous) && !dialedByLowerKey.test(link)) {
                link.close("both ends dialed; the other link stays");
                return;
            }
            links.put(key, link);
        }
        if (previous != null && previous != link) {
            previous.close("replaced by a newer link");
        }
        listener.linkUp(link.peer(), link.address(), link.how());
    }

    /** {@code link} closed: reports its peer down if it was the live link, and says whether it was. */
    boolean closed(PeerLink link, String why) {
        if (link.peer() != null && links.remove(Username.key(link.peer()), link)) {
            listener.linkDown(link.peer(), why);
            return true;
        }
        return false;
    }

    /** Closes the peer's link, if any, and reports it down. */
    void forget(String user, String why) {
        PeerLink link = links.remove(Username.key(user));
        if (link != null) {
            link.close(why);
            listener.linkDown(link.peer(), why);
        }
    }

    /** How the user's live link came up, if one is up. */
    java.util.Optional<LinkHow> how(String user) {
        PeerLink link = links.get(Username.key(user));
        return link != null && link.isOpen() ? java.util.Optional.of(link.how()) : java.util.Optional.empty();
    }

    boolean isUp(String user) {
        PeerLink link = links.get(Username.key(user));
        return link != null && link.isOpen();
    }

    /** Sends over the peer's link; false if there is none. */
    boolean send(String user, PeerFrame frame) {
        PeerLink link = links.get(Username.key(user));
        if (link == null || !link.isOpen()) {
            return false;
        }
        link.send(frame);
        return true;
    }

    /** Closes every link; each is reported down as it closes. */
    void closeAll(String why) {
        links.values().forEach(l -> l.close(why));
    }
}
