package dev.parley.rendezvous.session;

import dev.parley.common.protocol.Api;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TCP connection under each session, so a slow consumer can be cut off at once. A WebSocket
 * close handshake cannot reach a peer that stopped reading (the close frame waits behind everything
 * else), so closing politely would leave its socket and buffers in place for good. Connections are
 * noted by remote address (unique while they live) as their upgrade request arrives, and forgotten
 * when they close.
 */
@ApplicationScoped
class SessionSockets {
    private final Map<String, HttpConnection> byRemoteAddress = new ConcurrentHashMap<>();

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            if (Api.SESSION.equals(rc.request().path())) {
                HttpConnection connection = rc.request().connection();
                String remote = rc.request().remoteAddress().toString();
                byRemoteAddress.put(remote, connection);
                if (connection instanceof ConnectionBase base) {
                    base.closeFuture().onComplete(done -> byRemoteAddress.remove(remote, connection));
                }
            }
            rc.next();
        }, 10);
    }

    /** Closes the connection at once, dropping whatever it still had to write. */
    void abort(String remoteAddress) {
        HttpConnection connection = remoteAddress == null ? null : byRemoteAddress.remove(remoteAddress);
        if (connection instanceof ConnectionBase base) {
            base.channel().close();
        } else if (connection != null) {
            connection.close();
        }
    }

    /** The session with this remote address ended normally: nothing to keep. */
    void forget(String remoteAddress) {
        if (remoteAddress != null) {
            byRemoteAddress.remove(remoteAddress);
        }
    }

    int size() {
        return byRemoteAddress.size();
    }
}
