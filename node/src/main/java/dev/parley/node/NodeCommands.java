package dev.parley.node;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.output.Event;
import dev.parley.node.output.Notices;
import dev.parley.node.p2p.LinkHow;
import dev.parley.node.p2p.PeerLinks;
import dev.parley.node.route.MessageFailed;
import dev.parley.node.route.MessageRouter;
import dev.parley.node.route.ServerPath;
import dev.parley.node.server.ResendPolicy;
import dev.parley.node.server.ServerSession;
import dev.parley.node.server.SessionEnded;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What the user asks the node for: each command becomes a request (or a routed message), and its
 * answer an event.
 *
 * <p>A command's future completes normally once its outcome is known and printed, a refusal
 * included; it completes exceptionally only when the outcome stayed unknown (no answer came, see
 * {@link ServerPath.NotAnswered}), after the error naming it was printed. Scripts count those.
 */
public final class NodeCommands {
    private final Node node;
    private final AtomicLong ids = new AtomicLong();

    NodeCommands(Node node) {
        this.node = node;
    }

    String nextId() {
        return "c" + ids.incrementAndGet();
    }

    /** P2P first: direct if a link is up, else through the server (relay, or offline store). */
    public CompletableFuture<Void> message(String to, String text) {
        new ClientMessage.Send(null, to, text); // checks the name and text before anything is sent
        if (node.session() == null) {
            node.error("not logged in");
            return CompletableFuture.completedFuture(null);
        }
        PeerLinks links = node.links();
        if (links == null || !links.isUp(to)) {
            noteIfQueued(node.session(), "message " + to);
        }
        return report(node.router().send(to, text));
    }

    /**
     * While the server is away a command waits in the session's queue and goes out once it is
     * back (nothing is lost): said at once, so a command typed then is not met with silence.
     */
    private void noteIfQueued(ServerSession session, String what) {
        if (session.status() == ServerSession.Status.RECONNECTING) {
            node.print(Notices.queued(what));
        }
    }

    /** Sends over the direct link only; an error saying how to get one if there is none. */
    public CompletableFuture<Void> privateMessage(String to, String text) {
        new ClientMessage.Send(null, to, text); // the same checks of name and text as any message
        return report(node.router().sendPrivate(to, text));
    }

    public CompletableFuture<Void> broadcast(String text) {
        return ask(new ClientMessage.Broadcast(nextId(), text),
                reply -> Notices.broadcastSent(text, ((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> whoelse() {
        return ask(new ClientMessage.WhoElse(nextId()), reply -> {
            List<String> users = ((ServerMessage.Users) reply).users();
            node.online().addAll(users);
            return Notices.online(users);
        });
    }

    public CompletableFuture<Void> whoelsesince(long seconds) {
        return ask(new ClientMessage.WhoElseSince(nextId(), seconds),
                reply -> Notices.onlineSince(seconds, ((ServerMessage.Users) reply).users()));
    }

    public CompletableFuture<Void> block(String other) {
        // Like stopprivate: the server withdraws consent on both sides; this side must stop too.
        forgetLink(other, "you blocked " + other);
        return ask(new ClientMessage.Block(nextId(), other), reply -> {
            node.blocked().add(other);
            node.online().remove(other);
            return Notices.done("blocked", other, ((ServerMessage.Ok) reply).message());
        });
    }

    public CompletableFuture<Void> unblock(String other) {
        return ask(new ClientMessage.Unblock(nextId(), other), reply -> {
            node.blocked().remove(other);
            return Notices.done("unblocked", other, ((ServerMessage.Ok) reply).message());
        });
    }

    public CompletableFuture<Void> blocked() {
        return ask(new ClientMessage.ListBlocked(nextId()), reply -> {
            List<String> users = ((ServerMessage.BlockList) reply).users();
            node.blocked().clear();
            node.blocked().addAll(users);
            return Notices.blockList(users);
        });
    }

    /** The contacts (standing consent), each with its link: direct and how, or the relay and why. */
    public CompletableFuture<Void> contacts() {
        return ask(new ClientMessage.ListContacts(nextId()), reply -> {
            PeerLinks links = node.links();
            List<Notices.ContactLine> lines = ((ServerMessage.ContactList) reply).contacts().stream()
                    .map(c -> {
                        PeerLinks.Status status = links == null ? new PeerLinks.Status(Optional.empty(), Optional.empty())
                                : links.status(c.user());
                        return new Notices.ContactLine(c.user(), c.online(), c.fingerprint(),
                                status.how().map(LinkHow::word).orElse(null), status.lastFailure().orElse(null));
                    }).toList();
            return Notices.contacts(lines);
        });
    }

    public void whoami() {
        node.print(Notices.whoami(node.user(), node.server(), node.identity() == null ? null : node.identity().fingerprint()));
    }

    public CompletableFuture<Void> getaddress(String other) {
        return ask(new ClientMessage.GetAddress(nextId(), other),
                reply -> Notices.done("consent-asked", other, ((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> consent(String other) {
        return ask(new ClientMessage.Consent(nextId(), other), reply -> Notices.consented(other));
    }

    public CompletableFuture<Void> deny(String other) {
        return ask(new ClientMessage.Deny(nextId(), other),
                reply -> Notices.done("denied", other, ((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> stopprivate(String other) {
        forgetLink(other, "you stopped the private link");
        return ask(new ClientMessage.StopPrivate(nextId(), other),
                reply -> Notices.done("private-stopped", other, ((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> fingerprint(String other) {
        return ask(new ClientMessage.Fingerprint(nextId(), other), reply -> {
            ServerMessage.FingerprintInfo info = (ServerMessage.FingerprintInfo) reply;
            return Notices.fingerprint(info.user(), info.fingerprint());
        });
    }

    /**
     * Logs out: the server ends the session and revokes the token. First the acknowledgements of
     * what was just shown go out (waited for half a second at most), or the server would deliver it again.
     */
    public CompletableFuture<SessionEnded> logout() {
        ServerSession s = node.session();
        node.shown().settled().completeOnTimeout(null, ACKS_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .whenComplete((x, e) -> s.request(new ClientMessage.Logout(null)));
        return s.ended();
    }

    /** How long a logout waits for the acknowledgements of what was just shown. */
    private static final long ACKS_WAIT_MILLIS = 500;

    private void forgetLink(String other, String why) {
        PeerLinks links = node.links();
        if (links != null) {
            links.forget(other, why);
        }
    }

    /**
     * Prints how a routed message ended up: sent by some path, or an error naming its id and
     * recipient. Fails (after printing) if its fate is unknown.
     */
    private CompletableFuture<Void> report(CompletableFuture<MessageRouter.Outcome> routed) {
        CompletableFuture<Void> reported = new CompletableFuture<>();
        routed.whenComplete((outcome, failure) -> {
            if (failure == null) {
                node.print(Notices.sent(outcome.to(), outcome.via(), outcome.id(), outcome.text()));
                reported.complete(null);
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof MessageFailed f) {
                String code = f.error() == null || f.error().code() == null ? null : f.error().code().wire();
                node.print(Notices.error(code, f.id(), f.to(), f.getMessage()));
                if (f.outcome() == MessageFailed.Outcome.UNCONFIRMED) {
                    reported.completeExceptionally(f);
                    return;
                }
            } else {
                node.error(cause.getMessage());
            }
            reported.complete(null);
        });
        return reported;
    }

    /** Sends a request; prints the event made of its reply, or the error. */
    private CompletableFuture<Void> ask(ClientMessage request, Function<ServerMessage, Event> onReply) {
        ServerSession s = node.session();
        if (s == null) {
            node.error("not logged in");
            return CompletableFuture.completedFuture(null);
        }
        noteIfQueued(s, ResendPolicy.describe(request));
        CompletableFuture<Void> reported = new CompletableFuture<>();
        s.request(request).whenComplete((reply, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (cause instanceof ServerPath.NotSent) {
                    node.error(cause.getMessage());
                } else {
                    node.error(ResendPolicy.describe(request) + " not confirmed: " + cause.getMessage());
                    reported.completeExceptionally(cause); // no answer: it may or may not have taken effect
                    return;
                }
            } else if (reply instanceof ServerMessage.Error e) {
                node.print(Notices.serverError(e));
            } else {
                node.print(onReply.apply(reply));
            }
            reported.complete(null);
        });
        return reported;
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
