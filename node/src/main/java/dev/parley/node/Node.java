package dev.parley.node;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.output.Event;
import dev.parley.node.output.Printer;
import dev.parley.node.server.ServerSession;
import dev.parley.node.server.SessionEnded;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class Node implements ServerSession.Listener {
    private static final int SEEN_IDS = 10_000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final Printer printer;
    private final String server;
    private final AtomicLong ids = new AtomicLong();
    /** Ids of messages already shown: the server resends unacknowledged ones after a reconnect. */
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_IDS;
        }
    });
    private final Set<String> online = ConcurrentHashMap.newKeySet();
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private volatile ServerSession session;
    private volatile String user;

    public Node(Printer printer, String server) {
        this.printer = printer;
        this.server = server;
    }

    public void attach(ServerSession session, String user) {
        this.session = session;
        this.user = user;
        online.clear();
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

    private String nextId() {
        return "c" + ids.incrementAndGet();
    }

    // ---- commands ----

    public CompletableFuture<Void> message(String to, String text) {
        return ask(new ClientMessage.Send(nextId(), to, text), reply -> {
            ServerMessage.Sent sent = (ServerMessage.Sent) reply;
            return Event.of("sent").with("to", sent.to()).with("via", sent.via().name()).with("id", sent.messageId())
                    .says("[" + sent.via() + "] to " + sent.to() + ": " + text);
        });
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
        printer.print(Event.of("whoami").with("user", user).with("server", server)
                .says("you are " + user + " on " + server));
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
        return s.request(request).handle((reply, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                error(cause.getMessage());
            } else if (reply instanceof ServerMessage.Error e) {
                printer.print(Event.of("error").with("code", e.code().wire()).with("message", e.message())
                        .says("error: " + e.message()));
            } else {
                printer.print(onReply.apply(reply));
            }
            return null;
        });
    }

    // ---- what the session reports ----

    @Override
    public void online(String user, boolean reconnected) {
        if (reconnected) {
            printer.print(Event.of("reconnected").with("user", user).says("reconnected to " + server));
        } else {
            printer.print(Event.of("logged-in").with("user", user).with("server", server)
                    .says("logged in to " + server + " as " + user + " (type help for commands)"));
        }
    }

    @Override
    public void pushed(ServerMessage message) {
        if (message instanceof ServerMessage.Deliver d) {
            if (seen.add(d.messageId())) {
                String when = d.via() == ServerMessage.Via.offline ? " (" + WHEN.format(Instant.ofEpochMilli(d.sentAt())) + ")" : "";
                printer.print(Event.of("message").with("id", d.messageId()).with("from", d.from()).with("to", d.to())
                        .with("text", d.text()).with("via", d.via().name())
                        .with("sentAt", Instant.ofEpochMilli(d.sentAt()).toString())
                        .says("[" + d.via() + "] " + d.from() + when + ": " + d.text()));
            }
            // Acknowledge even a repeat: the first acknowledgement may be what got lost.
            session.tell(new ClientMessage.Ack(null, d.messageId()));
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
        } else if (message instanceof ServerMessage.Error e) {
            printer.print(Event.of("error").with("code", e.code() == null ? null : e.code().wire())
                    .with("message", e.message()).says("error: " + e.message()));
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
