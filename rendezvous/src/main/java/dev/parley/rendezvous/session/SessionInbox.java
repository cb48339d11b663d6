package dev.parley.rendezvous.session;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.presence.ChatSession;
import io.vertx.core.Context;
import java.util.ArrayDeque;

/**
 * One session's commands, carried out in the order they came, one at a time, on the connection's
 * event loop where nothing has to wait (a message to a user whose account and blocks are in memory,
 * an acknowledgement, a ping) and on a worker thread where the database is needed. While a command
 * runs on a worker, those after it wait here, so the order holds; a node that sends more than
 * {@link #MAX_WAITING} meanwhile gets an error for each command over the limit.
 * Touched only on the connection's event loop.
 */
final class SessionInbox {
    static final int MAX_WAITING = 4096;

    private final ChatSession session;
    private final CommandDispatcher dispatcher;
    private final Context eventLoop;
    private final ArrayDeque<ClientMessage> waiting = new ArrayDeque<>();
    private boolean onWorker;

    SessionInbox(ChatSession session, CommandDispatcher dispatcher, Context eventLoop) {
        this.session = session;
        this.dispatcher = dispatcher;
        this.eventLoop = eventLoop;
    }

    void take(ClientMessage message) {
        if (onWorker || !waiting.isEmpty()) {
            if (waiting.size() >= MAX_WAITING) {
                session.heard();
                session.send(new ServerMessage.Error(message.id(), ErrorCode.RETRY_LATER, MAX_WAITING
                        + " commands are already waiting to be carried out: this one was dropped; send it again"));
                return;
            }
            waiting.addLast(message);
            return;
        }
        run(message);
    }

    private void run(ClientMessage message) {
        if (dispatcher.runsWithoutBlocking(session, message)) {
            dispatcher.dispatch(session, message);
            return;
        }
        onWorker = true;
        eventLoop.executeBlocking(() -> {
            dispatcher.dispatch(session, message);
            return null;
        }, false).onComplete(done -> {
            onWorker = false;
            while (!onWorker && !waiting.isEmpty()) {
                run(waiting.pollFirst());
            }
        });
    }
}
