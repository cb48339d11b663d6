package dev.parley.node;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.output.Event;
import dev.parley.node.output.Notices;
import dev.parley.node.p2p.ObservedAddressWatch;
import dev.parley.node.p2p.PeerLinks;
import dev.parley.node.p2p.PortMappingWatch;
import dev.parley.node.server.ServerSession;
import dev.parley.node.server.SessionEnded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the server session reports: coming online (announcing this node's identity for direct
 * links first), pushes, a lost connection, the end. Pushes that arrive before the user was told
 * that the node is logged in wait until then, so no notice comes before the line that explains it.
 */
final class ServerEvents implements ServerSession.Listener, ServerMessage.Push.Handler<Void> {
    /** How long the first announcement of a session waits for the observed address. */
    static final Duration FIRST_OBSERVED_WAIT = Duration.ofSeconds(2);

    private final Node node;
    /** Whether this session's first announcement went out; changes before it ride along with it. */
    private volatile boolean announced;
    /** Pushes held back from a new session until "logged in" or "reconnected" is printed; null when not holding. */
    private List<ServerMessage> held;

    ServerEvents(Node node) {
        this.node = node;
    }

    /** A new session: hold pushes until it is online. */
    synchronized void reset() {
        held = new ArrayList<>();
    }

    @Override
    public void online(String user, boolean reconnected) {
        synchronized (this) {
            if (held == null) {
                held = new ArrayList<>();
            }
        }
        ClientMessage.Announce a = node.announcement();
        if (a == null) {
            announceOnline(user, reconnected);
            return;
        }
        node.links().me(user);
        announced = false;
        // The public address may have changed with the connection: ask again now, then keep it
        // fresh. The first announcement waits for that answer (not long): one announcement means
        // one introduction to each contact online, and the dialer then knows whether a contact
        // shares our public address (our LAN).
        // After a reconnect it does not wait: commands queued meanwhile go out right behind this
        // announcement, and their answers must come after "reconnected" (the address is most
        // likely unchanged; if not, it is announced again when it comes).
        CompletableFuture<Void> observedFirst = watchObserved();
        (reconnected ? CompletableFuture.<Void>completedFuture(null)
                : observedFirst.completeOnTimeout(null, FIRST_OBSERVED_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((v, e) -> {
                    announced = true;
                    // Online for others only once the server holds our key and addresses: a
                    // getaddress sent the moment someone sees us log in must find them.
                    announce().whenComplete((reply, failure) -> announceOnline(user, reconnected));
                });
    }

    /**
     * The machine's network changed: the server hears our (new) candidates, and the public address
     * is asked for again now, if the session is online; otherwise the next login does both.
     */
    void networkChanged() {
        ServerSession session = node.session();
        if (node.announcement() == null || session == null || session.status() != ServerSession.Status.ONLINE) {
            return;
        }
        announce();
        watchObserved();
    }

    /**
     * Asks for our observed address now and then keeps it fresh, and asks the router for a port
     * mapping; each change is announced (once the first announcement of the session is out).
     * Completes when the first ask for the observed address is over.
     */
    private CompletableFuture<Void> watchObserved() {
        ServerSession session = node.session();
        CompletableFuture<Void> first = node.observedWatch().map(watch -> watch.start(
                () -> Optional.ofNullable(session.token()), address -> {
                    node.observedAt(address);
                    announceIfAnnounced();
                })).orElseGet(() -> CompletableFuture.completedFuture(null));
        node.portMapping().ifPresent(watch -> watch.start(mapped -> announceIfAnnounced()
                .thenRun(() -> mapped.ifPresent(address -> node.print(Notices.portMapped(address))))));
        return first;
    }

    /** A change before the session's first announcement goes out with it; after, it is announced now. */
    private CompletableFuture<?> announceIfAnnounced() {
        return announced ? announce() : CompletableFuture.completedFuture(null);
    }

    /** Tells the server this node's identity key and candidates (again, when they changed). */
    private CompletableFuture<ServerMessage> announce() {
        ClientMessage.Announce a = node.announcement();
        return node.session().request(new ClientMessage.Announce(node.commands().nextId(), a.identityKey(), a.p2pPort(),
                a.candidates(), a.exclusive())).whenComplete((reply, failure) -> {
                    if (reply instanceof ServerMessage.Error e) {
                        node.error("the server did not take this node's identity: " + e.message());
                    }
                });
    }

    private void announceOnline(String user, boolean reconnected) {
        List<ServerMessage> waiting;
        synchronized (this) {
            node.print(reconnected ? Notices.reconnected(user, node.server()) : Notices.loggedIn(user, node.server()));
            waiting = held == null ? List.of() : held;
            held = null;
        }
        waiting.forEach(this::handle);
    }

    @Override
    public void resending(int messages) {
        node.print(Notices.resent(messages));
    }

    @Override
    public void pushed(ServerMessage message) {
        synchronized (this) {
            if (held != null) {
                held.add(message);
                return;
            }
        }
        handle(message);
    }

    private void handle(ServerMessage message) {
        if (message instanceof ServerMessage.Push push) {
            push.accept(this);
        } else if (message instanceof ServerMessage.Error e) {
            node.print(Notices.serverError(e));
        }
    }

    @Override
    public Void deliver(ServerMessage.Deliver d) {
        Event event = Notices.message(d);
        ServerSession from = node.session();
        // The server keeps the message until acknowledged: only once it is recorded as shown.
        node.shown().showOnce(d.from(), d.messageId(), () -> node.show(event),
                () -> from.tell(new ClientMessage.Ack(null, d.messageId())));
        return null;
    }

    @Override
    public Void delivered(ServerMessage.Delivered d) {
        node.print(Notices.delivered(d));
        return null;
    }

    @Override
    public Void broadcast(ServerMessage.BroadcastMessage b) {
        node.print(Notices.broadcast(b));
        return null;
    }

    @Override
    public Void presence(ServerMessage.Presence p) {
        // One frame may carry several changes: each is its own line, in the order they happened.
        for (ServerMessage.PresenceChange change : p.events()) {
            boolean in = change.event() == ServerMessage.PresenceEvent.login;
            if (in) {
                node.online().add(change.user());
            } else {
                node.online().remove(change.user());
            }
            node.print(Notices.presence(change.user(), in));
        }
        return null;
    }

    @Override
    public Void consentRequest(ServerMessage.ConsentRequest r) {
        node.print(Notices.consentRequest(r));
        return null;
    }

    @Override
    public Void introduction(ServerMessage.Introduction i) {
        if (i.keyChanged()) {
            node.print(Notices.keyChanged(i.user(), i.fingerprint()));
        }
        node.print(Notices.introduced(i));
        PeerLinks links = node.links();
        if (links == null) {
            return null;
        }
        if (i.dial()) {
            links.dial(i.user(), i.identityKey(), i.candidates());
        } else {
            links.expect(i.user(), i.identityKey());
        }
        return null;
    }

    @Override
    public Void consentRefused(ServerMessage.ConsentRefused r) {
        node.print(Notices.consentRefused(r));
        return null;
    }

    @Override
    public Void privateStopped(ServerMessage.PrivateStopped p) {
        PeerLinks links = node.links();
        if (links != null) {
            links.forget(p.user(), p.message());
        }
        node.print(Notices.privateStopped(p.user(), p.message()));
        return null;
    }

    @Override
    public Void punchSignal(ServerMessage.PunchSignal s) {
        PeerLinks links = node.links();
        if (links != null) {
            links.punchSignal(s);
        }
        return null;
    }

    @Override
    public void connectionLost(String why, Duration retryIn) {
        node.observedWatch().ifPresent(ObservedAddressWatch::stop);
        node.portMapping().ifPresent(PortMappingWatch::pause);
        node.print(Notices.disconnected(why, Math.max(1, (retryIn.toMillis() + 999) / 1000)));
    }

    @Override
    public void ended(SessionEnded reason, String message) {
        node.observedWatch().ifPresent(ObservedAddressWatch::stop);
        node.portMapping().ifPresent(PortMappingWatch::release);
        node.print(Notices.loggedOut(Notices.name(reason), message));
    }
}
