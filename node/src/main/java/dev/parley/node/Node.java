package dev.parley.node;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.node.output.Event;
import dev.parley.node.p2p.Identity;
import dev.parley.node.p2p.PeerLinks;
import dev.parley.node.delivery.ShownMessages;
import dev.parley.node.route.MessageFailed;
import dev.parley.node.route.MessageRouter;
import dev.parley.node.route.ServerPath;
import dev.parley.node.output.Printer;
import dev.parley.node.server.Connection;
import dev.parley.node.server.ResendPolicy;
import dev.parley.node.server.ServerSession;
import dev.parley.node.server.SessionEnded;
import dev.parley.node.time.NodeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The node's chat logic between the shell and the server session: turns commands into requests
 * and replies and pushes into events, shows each delivered message once and acknowledges it, and
 * remembers who is online for completion.
 *
 * <p>A command's future completes normally once its outcome is known and printed, a refusal
 * included; it completes exceptionally only when the outcome stayed unknown (no answer came, see
 * {@link ServerPath.NotAnswered}), after the error naming it was printed. Scripts count those.
 */
public final class Node implements Connection.SessionOwner, PeerLinks.Listener {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final Printer printer;
    private final String server;
    /** Where what was shown is recorded; null keeps it in memory only. */
    private final Path dataDir;
    /** Makes what was printed visible now (the printers may hold output back until the end of a turn). */
    private final Runnable flushOutput;
    private final AtomicLong ids = new AtomicLong();
    /**
     * Messages already shown, by sender and id: the server resends unacknowledged ones after a
     * reconnect, and a sender resends what it could not get confirmed. Per user, kept on disk.
     */
    private volatile ShownMessages shown = ShownMessages.inMemory();
    private String shownFor;
    private final Set<String> online = ConcurrentHashMap.newKeySet();
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private volatile ServerSession session;
    private volatile String user;
    private volatile PeerLinks links;
    private volatile Identity identity;
    private volatile ClientMessage.Announce announcement;
    private final MessageRouter router = new MessageRouter(() -> links, () -> session, NodeClock.system());

    /** A node that remembers what it has shown only while it runs, printing to a printer that flushes each event. */
    public Node(Printer printer, String server) {
        this(printer, server, null, () -> { });
    }

    /**
     * A node that records what each user has been shown in {@code dataDir}, so a crash shows
     * nothing twice; {@code flushOutput} pushes out what the printer holds back, so that a message
     * is recorded only once it is really out.
     */
    public Node(Printer printer, String server, Path dataDir, Runnable flushOutput) {
        this.printer = printer;
        this.server = server;
        this.dataDir = dataDir;
        this.flushOutput = flushOutput;
    }

    /** Before the session starts: anything it delivers is checked against what this user was shown before. */
    public void attach(ServerSession session, String user) {
        synchronized (this) {
            String key = user.toLowerCase(java.util.Locale.ROOT);
            if (dataDir != null && !key.equals(shownFor)) {
                shown.close();
                shown = ShownMessages.open(dataDir, user, this::warn);
                shownFor = key;
            }
        }
        this.session = session;
        this.user = user;
        online.clear();
    }

    /** The program is ending: waits for the record of shown messages to reach the disk, and closes it. */
    @Override
    public void close() {
        shown.close();
    }

    /** Direct links: where this node listens and what it announces to the server at each login. */
    public void attachPeers(PeerLinks links, Identity identity, int port, List<String> addresses, boolean exclusive) {
        this.links = links;
        this.identity = identity;
        this.announcement = new ClientMessage.Announce(null, identity.encodedPublicKey(), port, addresses, exclusive);
    }

    public String user() {
        return user;
    }

    public String server() {
        return server;
    }

    /** Users seen online, for completion. */
    public Set<String> onlineUsers() {
        return new TreeSet<>(online);
    }

    public Set<String> blockedUsers() {
        return new TreeSet<>(blocked);
    }

    public void print(Event event) {
        printer.print(event);
    }

    public void error(String message) {
        printer.print(Event.of("error").with("message", message).says("error: " + message));
    }

    private void warn(String message) {
        printer.print(Event.of("warning").with("message", message).says("warning: " + message));
    }

    private String nextId() {
        return "c" + ids.incrementAndGet();
    }

    // ---- commands ----

    /** P2P first: direct if a link is up, else through the server (relay, or offline store). */
    public CompletableFuture<Void> message(String to, String text) {
        new ClientMessage.Send(null, to, text); // checks the name and text before anything is sent
        if (session == null) {
            error("not logged in");
            return CompletableFuture.completedFuture(null);
        }
        return report(router.send(to, text));
    }

    /**
     * Prints how a routed message ended up: sent by some path, or an error naming its id and
     * recipient. Fails (after printing) if its fate is unknown.
     */
    private CompletableFuture<Void> report(CompletableFuture<MessageRouter.Outcome> routed) {
        CompletableFuture<Void> reported = new CompletableFuture<>();
        routed.whenComplete((outcome, failure) -> {
            if (failure == null) {
                printer.print(Event.of("sent").with("to", outcome.to()).with("via", outcome.via()).with("id", outcome.id())
                        .says("[" + outcome.via() + "] to " + outcome.to() + ": " + outcome.text()));
                reported.complete(null);
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof MessageFailed f) {
                String code = f.error() == null || f.error().code() == null ? null : f.error().code().wire();
                printer.print(Event.of("error").with("code", code).with("id", f.id()).with("to", f.to())
                        .with("message", f.getMessage()).says("error: " + f.getMessage()));
                if (f.outcome() == MessageFailed.Outcome.UNCONFIRMED) {
                    reported.completeExceptionally(f);
                    return;
                }
            } else {
                error(cause.getMessage());
            }
            reported.complete(null);
        });
        return reported;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    public CompletableFuture<Void> broadcast(String text) {
        return ask(new ClientMessage.Broadcast(nextId(), text), reply -> Event.of("broadcast-sent")
                .with("text", text).says("broadcast: " + ((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> whoelse() {
        return ask(new ClientMessage.WhoElse(nextId()), reply -> {
            List<String> users = ((ServerMessage.Users) reply).users();
            online.addAll(users);
            return Event.of("online").with("users", users)
                    .says(users.isEmpty() ? "nobody else is online" : "online: " + String.join(", ", users));
        });
    }

    public CompletableFuture<Void> whoelsesince(long seconds) {
        return ask(new ClientMessage.WhoElseSince(nextId(), seconds), reply -> {
            List<String> users = ((ServerMessage.Users) reply).users();
            return Event.of("online-since").with("seconds", seconds).with("users", users)
                    .says(users.isEmpty() ? "nobody else in the last " + seconds + " s"
                            : "online in the last " + seconds + " s: " + String.join(", ", users));
        });
    }

    public CompletableFuture<Void> block(String other) {
        PeerLinks l = links;
        if (l != null) {
            // Like stopprivate: the server withdraws consent on both sides; this side must stop too.
            l.forget(other, "you blocked " + other);
        }
        return ask(new ClientMessage.Block(nextId(), other), reply -> {
            blocked.add(other);
            online.remove(other);
            return Event.of("blocked").with("user", other).says(((ServerMessage.Ok) reply).message());
        });
    }

    public CompletableFuture<Void> unblock(String other) {
        return ask(new ClientMessage.Unblock(nextId(), other), reply -> {
            blocked.remove(other);
            return Event.of("unblocked").with("user", other).says(((ServerMessage.Ok) reply).message());
        });
    }

    public CompletableFuture<Void> blocked() {
        return ask(new ClientMessage.ListBlocked(nextId()), reply -> {
            List<String> users = ((ServerMessage.BlockList) reply).users();
            blocked.clear();
            blocked.addAll(users);
            return Event.of("block-list").with("users", users)
                    .says(users.isEmpty() ? "you block nobody" : "blocked: " + String.join(", ", users));
        });
    }

    public void whoami() {
        String fp = identity == null ? null : identity.fingerprint();
        printer.print(Event.of("whoami").with("user", user).with("server", server).with("fingerprint", fp)
                .says("you are " + user + " on " + server + (fp == null ? "" : "; your key: " + fp)));
    }

    public CompletableFuture<Void> getaddress(String other) {
        return ask(new ClientMessage.GetAddress(nextId(), other), reply -> Event.of("consent-asked").with("user", other)
                .says(((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> consent(String other) {
        return ask(new ClientMessage.Consent(nextId(), other), reply -> Event.of("consented").with("user", other)
                .says(((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> deny(String other) {
        return ask(new ClientMessage.Deny(nextId(), other), reply -> Event.of("denied").with("user", other)
                .says(((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> stopprivate(String other) {
        PeerLinks l = links;
        if (l != null) {
            l.forget(other, "you stopped the private link");
        }
        return ask(new ClientMessage.StopPrivate(nextId(), other), reply -> Event.of("private-stopped").with("user", other)
                .says(((ServerMessage.Ok) reply).message()));
    }

    public CompletableFuture<Void> fingerprint(String other) {
        return ask(new ClientMessage.Fingerprint(nextId(), other), reply -> {
            ServerMessage.FingerprintInfo info = (ServerMessage.FingerprintInfo) reply;
            return Event.of("fingerprint").with("user", info.user()).with("fingerprint", info.fingerprint())
                    .says(info.user() + "'s key, as the server vouches for it: " + info.fingerprint());
        });
    }

    /** Sends over the direct link only; an error saying how to get one if there is none. */
    public CompletableFuture<Void> privateMessage(String to, String text) {
        new ClientMessage.Send(null, to, text); // the same checks of name and text as any message
        return report(router.sendPrivate(to, text));
    }

    /** Logs out: the server ends the session and revokes the token. */
    public CompletableFuture<SessionEnded> logout() {
        ServerSession s = session;
        s.request(new ClientMessage.Logout(null));
        return s.ended();
    }

    private CompletableFuture<Void> ask(ClientMessage request, Function<ServerMessage, Event> onReply) {
        ServerSession s = session;
        if (s == null) {
            error("not logged in");
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> reported = new CompletableFuture<>();
        s.request(request).whenComplete((reply, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (cause instanceof ServerPath.NotSent) {
                    error(cause.getMessage());
                } else {
                    error(ResendPolicy.describe(request) + " not confirmed: " + cause.getMessage());
                    reported.completeExceptionally(cause); // no answer: it may or may not have taken effect
                    return;
                }
            } else if (reply instanceof ServerMessage.Error e) {
                printError(e);
            } else {
                printer.print(onReply.apply(reply));
            }
            reported.complete(null);
        });
        return reported;
    }

    // ---- what the session reports ----

    @Override
    public void online(String user, boolean reconnected) {
        ClientMessage.Announce a = announcement;
        if (a == null) {
            announceOnline(user, reconnected);
            return;
        }
        links.me(user);
        // Online for others only once the server holds our key and addresses: a getaddress sent
        // the moment someone sees us log in must find them.
        session.request(new ClientMessage.Announce(nextId(), a.identityKey(), a.p2pPort(), a.addresses(), a.exclusive()))
                .whenComplete((reply, failure) -> {
                    if (reply instanceof ServerMessage.Error e) {
                        error("the server did not take this node's identity: " + e.message());
                    }
                    announceOnline(user, reconnected);
                });
    }

    private void announceOnline(String user, boolean reconnected) {
        if (reconnected) {
            printer.print(Event.of("reconnected").with("user", user).says("reconnected to " + server));
        } else {
            printer.print(Event.of("logged-in").with("user", user).with("server", server)
                    .says("logged in to " + server + " as " + user + " (type help for commands)"));
        }
    }

    @Override
    public void resending(int messages) {
        printer.print(Event.of("resent").with("count", messages)
                .says(messages + " message(s) the server had not confirmed sent again, with the same ids"));
    }

    @Override
    public void pushed(ServerMessage message) {
        if (message instanceof ServerMessage.Deliver d) {
            String when = d.via() == ServerMessage.Via.offline ? " (" + WHEN.format(Instant.ofEpochMilli(d.sentAt())) + ")" : "";
            Event event = Event.of("message").with("id", d.messageId()).with("from", d.from()).with("to", d.to())
                    .with("text", d.text()).with("via", d.via().name())
                    .with("sentAt", Instant.ofEpochMilli(d.sentAt()).toString())
                    .says("[" + d.via() + "] " + d.from() + when + ": " + d.text());
            ServerSession from = session;
            // The server keeps the message until acknowledged: only once it is recorded as shown.
            shown.showOnce(d.from(), d.messageId(), () -> show(event), () -> from.tell(new ClientMessage.Ack(null, d.messageId())));
        } else if (message instanceof ServerMessage.Delivered d) {
            printer.print(Event.of("delivered").with("id", d.messageId()).with("to", d.to())
                    .says("(" + d.to() + " has your message " + shortId(d.messageId()) + ")"));
        } else if (message instanceof ServerMessage.BroadcastMessage b) {
            printer.print(Event.of("broadcast").with("from", b.from()).with("text", b.text())
                    .with("sentAt", Instant.ofEpochMilli(b.sentAt()).toString())
                    .says("[broadcast] " + b.from() + ": " + b.text()));
        } else if (message instanceof ServerMessage.Presence p) {
            boolean in = p.event() == ServerMessage.PresenceEvent.login;
            if (in) {
                online.add(p.user());
            } else {
                online.remove(p.user());
            }
            printer.print(Event.of(in ? "user-online" : "user-offline").with("user", p.user())
                    .says("* " + p.user() + (in ? " logged in" : " logged out")));
        } else if (message instanceof ServerMessage.ConsentRequest r) {
            printer.print(Event.of("consent-request").with("from", r.from()).with("fingerprint", r.fingerprint())
                    .says(r.from() + " asks for a direct link (key " + r.fingerprint() + "); answer: consent "
                            + r.from() + " or deny " + r.from()));
        } else if (message instanceof ServerMessage.Introduction i) {
            introduced(i);
        } else if (message instanceof ServerMessage.ConsentRefused r) {
            printer.print(Event.of("consent-refused").with("user", r.user()).with("reason", r.reason().name())
                    .with("message", r.message()).says(r.message()));
        } else if (message instanceof ServerMessage.PrivateStopped p) {
            if (links != null) {
                links.forget(p.user(), p.message());
            }
            printer.print(Event.of("private-stopped").with("user", p.user()).with("message", p.message()).says(p.message()));
        } else if (message instanceof ServerMessage.Error e) {
            printError(e);
        }
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /** Prints a message and flushes it: it is recorded as shown right after. */
    private void show(Event message) {
        printer.print(message);
        flushOutput.run();
    }

    private void printError(ServerMessage.Error e) {
        printer.print(Event.of("error").with("code", e.code() == null ? null : e.code().wire())
                .with("message", e.message()).says("error: " + e.message()));
    }

    private void introduced(ServerMessage.Introduction i) {
        if (i.keyChanged()) {
            printer.print(Event.of("key-changed").with("user", i.user()).with("fingerprint", i.fingerprint())
                    .says("WARNING: " + i.user() + "'s identity key has CHANGED since you last connected; it is now "
                            + i.fingerprint() + ". Compare it with " + i.user() + " another way before trusting it."));
        }
        printer.print(Event.of("introduced").with("user", i.user()).with("fingerprint", i.fingerprint())
                .with("dial", i.dial()).says(i.dial()
                        ? i.user() + " consented; connecting directly (their key " + i.fingerprint() + ")"
                        : i.user() + " may now connect to you directly (their key " + i.fingerprint() + ")"));
        if (links == null) {
            return;
        }
        if (i.dial()) {
            links.dial(i.user(), i.identityKey(), i.addresses());
        } else {
            links.expect(i.user(), i.identityKey());
        }
    }

    // ---- what the direct links report ----

    @Override
    public void linkUp(String peer, String address, boolean dialed) {
        printer.print(Event.of("link-up").with("user", peer).with("address", address)
                .says("[direct] link with " + peer + " is up (" + address + ")"));
    }

    @Override
    public void linkDown(String peer, String why) {
        int rerouted = router.linkDown(peer);
        if (rerouted > 0) {
            printer.print(Event.of("rerouted").with("user", peer).with("count", rerouted)
                    .says(rerouted + " unconfirmed message(s) to " + peer + " sent again through the server"));
        }
        printer.print(Event.of("link-down").with("user", peer).with("reason", why)
                .says("[direct] link with " + peer + " is down: " + why));
    }

    @Override
    public void dialFailed(String peer, String why) {
        printer.print(Event.of("link-failed").with("user", peer).with("reason", why)
                .says("[direct] could not reach " + peer + ": " + why));
    }

    @Override
    public void refused(String why) {
        printer.print(Event.of("peer-refused").with("reason", why).says("[direct] " + why));
    }

    @Override
    public void received(String peer, PeerFrame frame) {
        if (frame instanceof PeerFrame.Chat chat) {
            Event event = Event.of("message").with("id", chat.id()).with("from", peer).with("to", user)
                    .with("text", chat.text()).with("via", "direct")
                    .with("sentAt", Instant.ofEpochMilli(chat.sentAt()).toString())
                    .says("[direct] " + peer + ": " + chat.text());
            // The same message may come again through the server (the sender reroutes what the
            // link did not confirm): one record for both paths, and the receipt once recorded.
            PeerLinks l = links;
            shown.showOnce(peer, chat.id(), () -> show(event), () -> l.send(peer, new PeerFrame.Receipt(chat.id())));
        } else if (frame instanceof PeerFrame.Receipt receipt) {
            router.receipt(receipt.id());
        }
    }

    @Override
    public void connectionLost(String why, Duration retryIn) {
        long seconds = Math.max(1, (retryIn.toMillis() + 999) / 1000);
        printer.print(Event.of("disconnected").with("reason", why).with("retryInSeconds", seconds)
                .says("! lost the server (" + why + "); reconnecting in " + seconds + " s"));
    }

    @Override
    public void ended(SessionEnded reason, String message) {
        String text = switch (reason) {
            case TAKEOVER -> "logged out: logged in elsewhere";
            case IDLE -> "logged out by the server: " + message;
            case LOGOUT -> "logged out";
            case UNAUTHENTICATED -> "logged out: " + message;
            case UNTRUSTED -> message;
            case CLOSED -> "closed";
        };
        printer.print(Event.of("logged-out").with("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                .with("message", message).says(text));
    }
}
