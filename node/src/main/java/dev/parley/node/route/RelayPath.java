package dev.parley.node.route;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The server as a {@link Path}: sends a {@code send} request with the message's own id and
 * completes when the server has it (relayed to an online peer, or stored for an offline one). The
 * server's error is a refusal; no answer is {@link MessageFailed.Outcome#UNCONFIRMED}.
 */
final class RelayPath implements Path {
    private final Supplier<? extends ServerPath> session;

    RelayPath(Supplier<? extends ServerPath> session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "server";
    }

    /** The server takes a message for anyone while logged in: it relays it, or stores it. */
    @Override
    public boolean reaches(String peer) {
        return session.get() != null;
    }

    @Override
    public CompletableFuture<MessageRouter.Outcome> send(Outgoing m) {
        CompletableFuture<MessageRouter.Outcome> done = new CompletableFuture<>();
        ServerPath s = session.get();
        if (s == null) {
            done.completeExceptionally(MessageFailed.notSent(m.to(), m.id(), m.text(), "not logged in"));
            return done;
        }
        s.request(new ClientMessage.Send("r-" + m.id(), m.to(), m.text(), m.id())).whenComplete((reply, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                done.completeExceptionally(cause instanceof ServerPath.NotSent
                        ? MessageFailed.notSent(m.to(), m.id(), m.text(), cause.getMessage())
                        : MessageFailed.unconfirmed(m.to(), m.id(), m.text(), describe(cause)));
            } else if (reply instanceof ServerMessage.Error e) {
                done.completeExceptionally(MessageFailed.refused(m.to(), m.id(), m.text(), e));
            } else {
                ServerMessage.Sent sent = (ServerMessage.Sent) reply;
                done.complete(new MessageRouter.Outcome(sent.to(), sent.messageId(), sent.via().name(), m.text()));
            }
        });
        return done;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
