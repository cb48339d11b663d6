package dev.parley.node.server;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrameType;
import java.util.function.Consumer;

/** The server's WebSocket as the session's {@link SessionSocket}. */
final class WebSocketSessionSocket implements SessionSocket {
    private final WebSocket ws;

    WebSocketSessionSocket(WebSocket ws) {
        this.ws = ws;
        ws.exceptionHandler(e -> { /* the close handler follows */ });
    }

    @Override
    public void onText(Consumer<String> frames) {
        ws.textMessageHandler(frames::accept);
    }

    @Override
    public void onPing(Runnable pinged) {
        // Every frame reaches this handler as well as the text handler; only pings matter here.
        ws.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.PING) {
                pinged.run();
            }
        });
    }

    @Override
    public void onClose(Runnable closed) {
        ws.closeHandler(v -> closed.run());
    }

    @Override
    public Future<Void> write(String frame) {
        return ws.writeTextMessage(frame);
    }

    @Override
    public void close() {
        ws.close();
    }

    @Override
    public void close(short status, String reason) {
        ws.close(status, reason);
    }
}
