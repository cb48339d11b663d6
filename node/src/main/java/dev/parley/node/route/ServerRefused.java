package dev.parley.node.route;

import dev.parley.common.protocol.ServerMessage;

/** The server turned a routed message down; carries its error so the user sees the code too. */
public final class ServerRefused extends RuntimeException {
    private final transient ServerMessage.Error error;

    public ServerRefused(ServerMessage.Error error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ServerMessage.Error error() {
        return error;
    }
}
