package dev.parley.rendezvous.session;

import dev.parley.rendezvous.presence.SessionChannel;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/** A session's WebSocket. Writes are queued without blocking; failures only mean the peer is gone. */
final class WebSocketChannel implements SessionChannel {
    private static final Logger LOG = Logger.getLogger(WebSocketChannel.class);
    private static final Buffer PING = Buffer.buffer("parley");

    private final WebSocketConnection connection;

    WebSocketChannel(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public void send(String text) {
        if (connection.isOpen()) {
            connection.sendText(text).subscribe().with(ok -> { }, this::gone);
        }
    }

    @Override
    public void ping() {
        if (connection.isOpen()) {
            connection.sendPing(PING).subscribe().with(ok -> { }, this::gone);
        }
    }

    @Override
    public void close(short code, String reason) {
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, this::gone);
        }
    }

    private void gone(Throwable failure) {
        LOG.debugf("connection %s: %s", connection.id(), failure.getMessage());
    }
}
