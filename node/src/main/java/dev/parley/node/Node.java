package dev.parley.node;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.Username;
import dev.parley.node.delivery.ShownMessages;
import dev.parley.node.output.Event;
import dev.parley.node.output.Notices;
import dev.parley.node.output.Printer;
import dev.parley.node.p2p.Identity;
import dev.parley.node.p2p.ObservedAddressWatch;
import dev.parley.node.p2p.PeerLinks;
import dev.parley.node.p2p.PortMappingWatch;
import dev.parley.node.route.MessageRouter;
import dev.parley.node.server.Connection;
import dev.parley.node.server.ServerSession;
import dev.parley.node.time.NodeClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's state while it runs, and the wiring of its three jobs: {@link NodeCommands} (what
 * the user asks for), {@link ServerEvents} (what the server pushes) and {@link LinkEvents} (what
 * the direct links report). Their words are in {@link Notices}. Shown messages are remembered per
 * user ({@link ShownMessages}) so none is shown twice, and who is online is kept for completion.
 */
public final class Node implements Connection.SessionOwner {
    private final Printer printer;
    private final String server;
    /** Where what was shown is recorded; null keeps it in memory only. */
    private final Path dataDir;
    /** Makes what was printed visible now (the printers may hold output back until the end of a turn). */
    private final Runnable flushOutput;
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
    private volatile Optional<ObservedAddressWatch> observedWatch = Optional.empty();
    /** Where the server last observed our P2P port, announced with the rest. */
    private volatile Optional<Candidate> observed = Optional.empty();
    /** Keeps a port mapping on the router, announced as the {@code mapped} candidate while it lasts. */
    private volatile Optional<PortMappingWatch> portMapping = Optional.empty();
    private final MessageRouter router = new MessageRouter(() -> links, () -> session, NodeClock.system());
    private final NodeCommands commands = new NodeCommands(this);
    private final ServerEvents serverEvents = new ServerEvents(this);
    private final LinkEvents linkEvents = new LinkEvents(this);

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

    /** What the user asks for. */
    public NodeCommands commands() {
        return commands;
    }

    /** Where the server session reports to. */
    @Override
    public ServerSession.Listener serverEvents() {
        return serverEvents;
    }

    /** Where the direct links report to. */
    public PeerLinks.Listener linkEvents() {
        return linkEvents;
    }

    /** Before the session starts: anything it delivers is checked against what this user was shown before. */
    @Override
    public void attach(ServerSession session, String user) {
        synchronized (this) {
            String key = Username.key(user);
            if (dataDir != null && !key.equals(shownFor)) {
                shown.close();
                shown = ShownMessages.open(dataDir, user, this::warn);
                shownFor = key;
            }
        }
        serverEvents.reset();
        this.session = session;
        this.user = user;
        online.clear();
    }

    /** The program is ending: waits for the record of shown messages to reach the disk, and closes it. */
    @Override
    public void close() {
        shown.close();
    }

    /**
     * Direct links: where this node listens and what it announces to the server at each login;
     * {@code observedWatch}, if given, learns the public address the P2P port maps to, announced too.
     */
    public void attachPeers(PeerLinks links, Identity identity, int port, List<Candidate> candidates, boolean exclusive,
            Optional<ObservedAddressWatch> observedWatch) {
        this.links = links;
        this.identity = identity;
        this.announcement = new ClientMessage.Announce(null, identity.encodedPublicKey(), port, candidates, exclusive);
        this.observedWatch = observedWatch;
    }

    /** Direct links: asks the router to map the P2P port (not with {@code --advertise} or {@code --no-port-mapping}). */
    public void attachPortMapping(PortMappingWatch watch) {
        this.portMapping = Optional.of(watch);
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
        printer.print(Notices.error(message));
    }

    void warn(String message) {
        printer.print(Notices.warning(message));
    }

    /** Prints a message and flushes it: it is recorded as shown right after. */
    void show(Event message) {
        printer.print(message);
        flushOutput.run();
    }

    // ---- state shared by the three jobs (package-private) ----

    ServerSession session() {
        return session;
    }

    PeerLinks links() {
        return links;
    }

    Identity identity() {
        return identity;
    }

    /** What to announce: the candidates given at start, the observed address once known, and the router's mapping. */
    ClientMessage.Announce announcement() {
        ClientMessage.Announce base = announcement;
        if (base == null) {
            return null;
        }
        List<Candidate> candidates = new ArrayList<>(base.candidates());
        observed.filter(o -> candidates.stream().noneMatch(c -> c.address().equals(o.address())))
                .ifPresent(o -> candidates.add(0, o));
        // A mapping goes first; where the server saw the same address, that address is the mapping.
        portMapping.flatMap(PortMappingWatch::current).ifPresent(address -> {
            candidates.removeIf(c -> c.address().equals(address));
            candidates.add(0, new Candidate(Candidate.Type.mapped, address));
        });
        if (candidates.equals(base.candidates())) {
            return base;
        }
        return new ClientMessage.Announce(null, base.identityKey(), base.p2pPort(),
                candidates.subList(0, Math.min(candidates.size(), Candidate.MAX)), base.exclusive());
    }

    Optional<PortMappingWatch> portMapping() {
        return portMapping;
    }

    Optional<ObservedAddressWatch> observedWatch() {
        return observedWatch;
    }

    /**
     * The machine's network changed ({@code NetworkWatch}): the LAN candidates are found again
     * (unless the user gave {@code --advertise}), the server is told, and peers without a link are
     * dialed again at once.
     */
    public void networkChanged(List<Candidate> localCandidates) {
        ClientMessage.Announce base = announcement;
        if (base != null && !base.exclusive()) {
            announcement = new ClientMessage.Announce(null, base.identityKey(), base.p2pPort(), localCandidates, false);
        }
        print(Notices.networkChanged());
        serverEvents.networkChanged();
        if (links != null) {
            links.networkChanged();
        }
    }

    /** The server observed our P2P port at {@code address} ({@code host:port}). */
    void observedAt(String address) {
        observed = Optional.of(new Candidate(Candidate.Type.observed, address));
        links.observedAt(address);
    }

    MessageRouter router() {
        return router;
    }

    ShownMessages shown() {
        return shown;
    }

    Set<String> online() {
        return online;
    }

    Set<String> blocked() {
        return blocked;
    }
}
