package dev.parley.node.route;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;

/** The server, as the router sees it: a request and its reply. */
public interface ServerPath {
    CompletableFuture<ServerMessage> request(ClientMessage message);
}
