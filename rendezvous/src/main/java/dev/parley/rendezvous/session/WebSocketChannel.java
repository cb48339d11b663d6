package dev.parley.rendezvous.session;

import dev.parley.rendezvous.presence.SessionChannel;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * A session's WebSocket. Writes are queued without blocking, but never without bound: the bytes
 * handed to the connection and not yet written to the socket are counted, and a frame that would
 * take them past the limit is refused and reported once as an overflow (a node that stopped
 * reading). Failures only mean the peer is gone.
 */
final class WebSocketChannel implements SessionChannel {
    private static final Logger LOG = Logger.getLogger(WebSocketChannel.class);
    private static final Buffer PING = Buffer.buffer("parley");

    private final WebSocketConnection connection;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile Runnable onOverflow = () -> { };

    /** The connection's event loop: callbacks of the endpoint run on it, or on a worker bound to it. */
    private final Context context;

    WebSocketChannel(WebSocketConnection connection, long maxQueuedBytes) {
        this.connection = connection;
        this.maxQueuedBytes = maxQueuedBytes;
        this.context = Vertx.currentContext();
    }

    /** What to do, once, when a frame finds the queue full. */
    void onOverflow(Runnable action) {
        this.onOverflow = action;
    }

    @Override
    public void send(String text) {
        if (overflowed.get() || !connection.isOpen()) {
            return;
        }
        long size = Utf8.length(text);
        if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            if (overflowed.compareAndSet(false, true)) {
                onOverflow.run();
            }
            return;
        }
        connection.sendText(text).subscribe().with(ok -> queuedBytes.addAndGet(-size), failure -> {
            queuedBytes.addAndGet(-size);
            gone(failure);
        });
    }

    @Override
    public void ping() {
        if (connection.isOpen()) {
            connection.sendPing(PING).subscribe().with(ok -> { }, this::gone);
        }
    }

    @Override
    public void runOnTransport(Runnable task) {
        if (context != null) {
            context.runOnContext(v -> task.run());
        } else {
            task.run();
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
