package dev.parley.node.p2p;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * A way to ask the home router to forward one of its public ports to this node's P2P listener
 * ({@link NatPmpClient}; UPnP-IGD or PCP would be others). A failure means this router does not
 * grant one, or not now.
 */
interface PortMapper {
    /** A mapping granted: peers reach the listener at {@code address} ({@code host:port}) for {@code lifetime}. */
    record Granted(String address, Duration lifetime) {
    }

    /** Asks for (or renews) a mapping of TCP {@code port} for {@code lifetime}. */
    Future<Granted> map(int port, Duration lifetime);

    /** Withdraws the mapping of TCP {@code port}. */
    Future<Void> unmap(int port);
}
