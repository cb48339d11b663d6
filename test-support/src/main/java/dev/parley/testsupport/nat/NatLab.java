package dev.parley.testsupport.nat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Home routers and an internet on one machine, built from network namespaces (root only): an
 * "internet" namespace whose bridge holds 203.0.113.1/24 (TEST-NET-3) for a server; routers whose
 * WAN leg is 203.0.113.(10+i) on that bridge and whose LAN is 10.0.i.0/24; hosts on a router's LAN
 * at 10.0.i.10, .11, …, their default route via the router. A router NATs its LAN ({@link Nat}) and
 * runs a home router's stateful firewall: it forwards LAN→WAN and replies only, and drops whatever
 * reaches it from the WAN that is not a reply (without that drop Linux answers early SYNs with a
 * reset, and hole punching turns timing-dependent).
 * <p>
 * The lab is closed off: no veth end ever sits in the machine's own namespace, the internet has no
 * route out, and nothing in the machine's own routing or firewall is touched. Each lab's namespaces
 * share a prefix {@code plab<pid>x<n>-}; {@link #close()} deletes them (killing whatever still runs
 * in them), a shutdown hook does if the JVM ends first, and the next lab sweeps away those of a
 * run that was killed.
 */
public final class NatLab implements AutoCloseable {
    public static final String INTERNET_ADDRESS = "203.0.113.1";
    private static final String FAMILY = "plab";
    /** A lab namespace's name: the family, the pid of the JVM that made it, the lab's number. */
    private static final Pattern LAB_NAME = Pattern.compile("^" + FAMILY + "(\\d+)x(\\d+)-");
    private static final int MAX_ROUTERS = 200;
    private static final int MAX_HOSTS = 200;
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger LABS = new AtomicInteger();
    private static final Object PROBE = new Object();
    private static volatile Availability availability;

    /** Whether a lab can be built here, and if not, why. */
    public record Availability(boolean available, String reason) {
    }

    private final String prefix;
    private final Namespace internet;
    /** Every namespace made, in creation order. */
    private final List<String> made = Collections.synchronizedList(new ArrayList<>());
    private final List<Router> routers = new ArrayList<>();
    private final Map<Integer, Integer> hostsPerRouter = new HashMap<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NatLab(String prefix) {
        this.prefix = prefix;
        this.internet = new Namespace(prefix + "inet", INTERNET_ADDRESS);
        this.shutdownHook = new Thread(this::deleteAll, prefix + "teardown");
    }

    /** Builds a lab with its internet (no routers yet); fails if {@link #available()} says no. */
    public static NatLab create() {
        Availability here = available();
        if (!here.available()) {
            throw new IllegalStateException("a NAT lab cannot be built here: " + here.reason());
        }
        sweepStale();
        NatLab lab = new NatLab(FAMILY + ProcessHandle.current().pid() + "x" + LABS.incrementAndGet() + "-");
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.buildInternet();
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Whether this machine can build a lab: Linux, root, {@code ip}, {@code iptables},
     * {@code iptables-restore} and {@code conntrack} installed, and a namespace can be made with a
     * NAT table inside. Found once per JVM.
     */
    public static Availability available() {
        synchronized (PROBE) {
            if (availability == null) {
                availability = probe();
            }
            return availability;
        }
    }

    /** The prefix every namespace of this lab's name starts with. */
    public String prefix() {
        return prefix;
    }

    /** The internet: where a server listens, at {@link #INTERNET_ADDRESS}. */
    public Namespace internet() {
        return internet;
    }

    /** Adds a home router on the internet, with an empty LAN. */
    public synchronized Router router(Nat nat) {
        requireOpen();
        int index = routers.size() + 1;
        if (index > MAX_ROUTERS) {
            throw new IllegalStateException("at most " + MAX_ROUTERS + " routers");
        }
        Router router = new Router(new Namespace(prefix + "r" + index, "203.0.113." + (10 + index)), nat, index);
        String name = router.namespace().name();
        addNamespace(name);
        ip("-n", name, "link", "add", "wan", "type", "veth", "peer", "name", "r" + index, "netns", internet.name());
        ip("-n", internet.name(), "link", "set", "r" + index, "master", "inet", "up");
        ip("-n", name, "addr", "add", router.wanAddress() + "/24", "dev", "wan");
        ip("-n", name, "link", "set", "wan", "up");
        ip("-n", name, "link", "add", "lan", "type", "bridge");
        ip("-n", name, "addr", "add", router.lanAddress() + "/24", "dev", "lan");
        ip("-n", name, "link", "set", "lan", "up");
        inside(name, List.of("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"), null);
        inside(name, List.of("iptables-restore"), firewall(nat));
        routers.add(router);
        return router;
    }

    /** Adds a host on {@code router}'s LAN; returns its namespace (its address is its LAN address). */
    public synchronized Namespace host(Router router) {
        requireOpen();
        if (!routers.contains(router)) {
            throw new IllegalArgumentException("not a router of this lab: " + router);
        }
        int number = hostsPerRouter.merge(router.index(), 1, Integer::sum);
        if (number > MAX_HOSTS) {
            throw new IllegalStateException("at most " + MAX_HOSTS + " hosts behind a router");
        }
        Namespace host = new Namespace(router.namespace().name() + "h" + number, router.lanSubnet() + "." + (9 + number));
        String routerName = router.namespace().name();
        addNamespace(host.name());
        ip("-n", host.name(), "link", "add", "eth0", "type", "veth", "peer", "name", "h" + number, "netns", routerName);
        ip("-n", routerName, "link", "set", "h" + number, "master", "lan", "up");
        ip("-n", host.name(), "addr", "add", host.address() + "/24", "dev", "eth0");
        ip("-n", host.name(), "link", "set", "eth0", "up");
        ip("-n", host.name(), "route", "add", "default", "via", router.lanAddress());
        return host;
    }

    /**
     * Runs a small command inside a namespace of this lab (e.g. {@code conntrack -F} in a router)
     * and waits for it (at most 30 s); the caller judges its result.
     */
    public CommandResult exec(Namespace namespace, String... command) {
        requireOpen();
        if (!made.contains(namespace.name())) {
            throw new IllegalArgumentException("not a namespace of this lab: " + namespace.name());
        }
        List<String> full = new ArrayList<>(namespace.prefix());
        full.add(SystemCommand.tool(command[0]));
        full.addAll(Arrays.asList(command).subList(1, command.length));
        return SystemCommand.run(full);
    }

    /** The namespaces on this machine whose names start with this lab's prefix (none once it is closed). */
    public List<String> remaining() {
        return namespacesStartingWith(prefix);
    }

    /** The namespaces on this machine whose names start with {@code prefix}. */
    public static List<String> namespacesStartingWith(String prefix) {
        return namespaces().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    /** Deletes the lab's namespaces, killing whatever still runs inside them. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs anyway, and deleting twice is harmless.
        }
        deleteAll();
    }

    // ---- building ----------------------------------------------------------------------------

    private void buildInternet() {
        String name = internet.name();
        addNamespace(name);
        ip("-n", name, "link", "add", "inet", "type", "bridge");
        ip("-n", name, "addr", "add", INTERNET_ADDRESS + "/24", "dev", "inet");
        ip("-n", name, "link", "set", "inet", "up");
    }

    /** A home router's rules, for iptables-restore. Bridged LAN traffic is let through in case br_netfilter is loaded. */
    private static String firewall(Nat nat) {
        return String.join("\n",
                "*filter",
                ":INPUT ACCEPT [0:0]",
                ":FORWARD DROP [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                "-A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A INPUT -i wan -j DROP",
                "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A FORWARD -i lan -o wan -j ACCEPT",
                "-A FORWARD -i lan -o lan -j ACCEPT",
                "COMMIT",
                "*nat",
                ":PREROUTING ACCEPT [0:0]",
                ":INPUT ACCEPT [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                ":POSTROUTING ACCEPT [0:0]",
                nat.masqueradeRule("wan"),
                "COMMIT",
                "");
    }

    private void addNamespace(String name) {
        ip("netns", "add", name);
        made.add(name);
        ip("-n", name, "link", "set", "lo", "up");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the lab " + prefix + " is closed");
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        SystemCommand.run(command).requireSuccess();
    }

    private static CommandResult inside(String namespace, List<String> command, String stdin) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace, SystemCommand.tool(command.get(0))));
        full.addAll(command.subList(1, command.size()));
        return SystemCommand.run(full, stdin).requireSuccess();
    }

    // ---- tearing down ------------------------------------------------------------------------

    private void deleteAll() {
        List<String> names;
        synchronized (made) {
            names = new ArrayList<>(made);
        }
        Collections.reverse(names);
        names.forEach(NatLab::delete);
    }

    /** Kills what runs inside (it was started there by a lab's user), then deletes the namespace and with it its veths. */
    private static void delete(String namespace) {
        CommandResult pids = SystemCommand.run(List.of("ip", "netns", "pids", namespace));
        if (pids.succeeded()) {
            for (String pid : pids.output().strip().split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(NatLab::kill);
                }
            }
        }
        SystemCommand.run(List.of("ip", "netns", "delete", namespace));
    }

    private static void kill(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Deleting the name still works; the namespace goes when the process does.
        }
    }

    /** Deletes the namespaces of labs whose JVM is gone (a run killed before it could clean up). */
    private static void sweepStale() {
        for (String name : namespaces()) {
            Matcher m = LAB_NAME.matcher(name);
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive).isEmpty()) {
                delete(name);
            }
        }
    }

    private static List<String> namespaces() {
        CommandResult list = SystemCommand.run(List.of("ip", "netns", "list"));
        if (!list.succeeded()) {
            return List.of();
        }
        // Each line: "name" or "name (id: 3)".
        return list.output().lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")[0]).toList();
    }

    // ---- availability ------------------------------------------------------------------------

    private static Availability probe() {
        if (!Files.exists(Path.of("/proc/self/ns/net"))) {
            return new Availability(false, "no Linux network namespaces on this system");
        }
        Optional<String> uid = effectiveUid();
        if (uid.isEmpty() || !uid.get().equals("0")) {
            return new Availability(false, "not running as root (uid " + uid.orElse("unknown") + ")");
        }
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("ip", "iptables", "iptables-restore", "conntrack")) {
            if (SystemCommand.find(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            return new Availability(false, "missing " + String.join(", ", missing)
                    + " (install iproute2, iptables, conntrack)");
        }
        String name = FAMILY + ProcessHandle.current().pid() + "x0-probe";
        CommandResult made = SystemCommand.run(List.of("ip", "netns", "add", name));
        if (!made.succeeded()) {
            return new Availability(false, "cannot create a network namespace: " + made.output().strip());
        }
        try {
            CommandResult nat = SystemCommand.run(List.of("ip", "netns", "exec", name, SystemCommand.tool("iptables"),
                    "-t", "nat", "-L", "-n"));
            if (!nat.succeeded()) {
                return new Availability(false, "iptables has no NAT table inside a namespace: " + nat.output().strip());
            }
            return new Availability(true, "");
        } finally {
            delete(name);
        }
    }

    private static Optional<String> effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2]).findFirst();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
