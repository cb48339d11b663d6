package dev.parley.rendezvous.session;

import dev.parley.rendezvous.presence.SessionChannel;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
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
    /** The connection's event loop: every frame is written from it, in the order sent (see {@link #send}). */
    private final Context eventLoop;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile Runnable onOverflow = () -> { };

    WebSocketChannel(WebSocketConnection connection, Context eventLoop, long maxQueuedBytes) {
        this.connection = connection;
        this.eventLoop = eventLoop;
        this.maxQueuedBytes = maxQueuedBytes;
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
        // Frames come from the event loop itself and from other threads (the relay's writer, workers).
        // Written straight from the loop, one would overtake those queued to it from elsewhere; all
        // queued to the loop, they go out in the order sent.
        eventLoop.runOnContext(v -> connection.sendText(text).subscribe().with(ok -> queuedBytes.addAndGet(-size),
                failure -> {
                    queuedBytes.addAndGet(-size);
                    gone(failure);
                }));
    }

    @Override
    public void ping() {
        if (connection.isOpen()) {
            eventLoop.runOnContext(v -> connection.sendPing(PING).subscribe().with(ok -> { }, this::gone));
        }
    }

    @Override
    public void runOnTransport(Runnable task) {
        eventLoop.runOnContext(v -> task.run());
    }

    @Override
    public void close(short code, String reason) {
        if (connection.isOpen()) {
            // Behind the frames already sent (a 'closing' notice says why).
            eventLoop.runOnContext(v -> connection.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, this::gone));
        }
    }

    private void gone(Throwable failure) {
        LOG.debugf("connection %s: %s", connection.id(), failure.getMessage());
    }
}
