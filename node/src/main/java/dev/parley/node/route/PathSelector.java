package dev.parley.node.route;

/**
 * Which way a message to a peer goes: the direct link when it is up, otherwise the server, which
 * relays it to an online peer or stores it for an offline one. One small policy, in one place.
 */
public final class PathSelector {
    public enum Path { DIRECT, SERVER }

    private PathSelector() {
    }

    public static Path choose(boolean linkUp) {
        return linkUp ? Path.DIRECT : Path.SERVER;
    }
}
