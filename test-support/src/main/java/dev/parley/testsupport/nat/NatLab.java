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
 * reset, and hole punching turns timing-dependent). A router may also grant port mappings to its
 * LAN with NAT-PMP ({@link PortMapping}), by miniupnpd.
 * <p>
 * The lab is closed off: no veth end ever sits in the machine's own namespace, the internet has no
 * route out, and nothing in the machine's own routing or firewall is touched. Bridges have fixed
 * (locally administered) MAC addresses, so a router or host added later never cuts off those
 * already talking. Each lab's namespaces share a prefix {@code plab<pid>x<n>-}; {@link #close()}
 * deletes them (killing whatever still runs in them), a shutdown hook does if the JVM ends first,
 * and the next lab sweeps away those of a run that was killed.
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
    private static volatile Availability natPmpAvailability;
    /** Where the lab's STUN responder listens (on the internet), for miniupnpd. */
    private static final int STUN_PORT = 3478;
    private static final Duration DAEMON_START = Duration.ofSeconds(30);

    /** Whether a lab can be built here, and if not, why. */
    public record Availability(boolean available, String reason) {
    }

    private final String prefix;
    private final Namespace internet;
    /** Every namespace made, in creation order. */
    private final List<String> made = Collections.synchronizedList(new ArrayList<>());
    private final List<Router> routers = new ArrayList<>();
    private final Map<Integer, Integer> hostsPerRouter = new HashMap<>();
    /** What runs in the lab for as long as it does (miniupnpd, the STUN responder), and their config directories. */
    private final List<LabDaemon> daemons = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> scratch = Collections.synchronizedList(new ArrayList<>());
    private LabDaemon stun;
    private final Thread shutdownHook;
    private boolean closed;

    private NatLab(String prefix) {
        this.prefix = prefix;
        this.internet = new Namespace(prefix + "inet", INTERNET_ADDRESS);
        this.shutdownHook = new Thread(this::tearDown, prefix + "teardown");
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
    public Router router(Nat nat) {
        return router(nat, PortMapping.NONE);
    }

    /**
     * Adds a home router on the internet, with an empty LAN; with {@link PortMapping#NAT_PMP} it
     * runs miniupnpd, which needs {@link #natPmpAvailable()}. Such a router's firewall is in the
     * legacy iptables tables: Debian's miniupnpd-iptables writes its rules with libiptc, which
     * knows only those, and its chains must hang off the router's own.
     */
    public synchronized Router router(Nat nat, PortMapping portMapping) {
        requireOpen();
        if (portMapping == PortMapping.NAT_PMP && !natPmpAvailable().available()) {
            throw new IllegalStateException("a NAT-PMP router cannot be built here: " + natPmpAvailable().reason());
        }
        int index = routers.size() + 1;
        if (index > MAX_ROUTERS) {
            throw new IllegalStateException("at most " + MAX_ROUTERS + " routers");
        }
        Router router = new Router(new Namespace(prefix + "r" + index, "203.0.113." + (10 + index)), nat, index, portMapping);
        String name = router.namespace().name();
        addNamespace(name);
        ip("-n", name, "link", "add", "wan", "type", "veth", "peer", "name", "r" + index, "netns", internet.name());
        ip("-n", internet.name(), "link", "set", "r" + index, "master", "inet", "up");
        ip("-n", name, "addr", "add", router.wanAddress() + "/24", "dev", "wan");
        ip("-n", name, "link", "set", "wan", "up");
        ip("-n", name, "link", "add", "lan", "address", String.format("02:00:0a:00:%02x:01", index), "type", "bridge");
        ip("-n", name, "addr", "add", router.lanAddress() + "/24", "dev", "lan");
        ip("-n", name, "link", "set", "lan", "up");
        inside(name, List.of("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"), null);
        boolean natPmp = portMapping == PortMapping.NAT_PMP;
        inside(name, List.of(natPmp ? "iptables-legacy-restore" : "iptables-restore"), firewall(nat, natPmp));
        routers.add(router);
        if (natPmp) {
            startMiniupnpd(router);
        }
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

    /**
     * Whether a router here can offer NAT-PMP ({@link PortMapping#NAT_PMP}): a lab can be built,
     * and {@code miniupnpd} (Debian: miniupnpd-iptables) and {@code iptables-legacy-restore} are
     * installed, with legacy NAT tables inside a namespace. Found once per JVM.
     */
    public static Availability natPmpAvailable() {
        Availability lab = available();
        if (!lab.available()) {
            return lab;
        }
        synchronized (PROBE) {
            if (natPmpAvailability == null) {
                natPmpAvailability = probeNatPmp();
            }
            return natPmpAvailability;
        }
    }

    /** Deletes the lab's namespaces, killing whatever still runs inside them, and the daemons' files. */
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
        tearDown();
    }

    // ---- building ----------------------------------------------------------------------------

    private void buildInternet() {
        String name = internet.name();
        addNamespace(name);
        // A bridge's own address, set: left to itself it takes the lowest of its ports' and changes as ports
        // join, and whoever knew the old one (a router that already spoke to the server) is cut off
        // until its ARP entry goes stale, for up to half a minute.
        ip("-n", name, "link", "add", "inet", "address", "02:00:cb:00:71:01", "type", "bridge");
        ip("-n", name, "addr", "add", INTERNET_ADDRESS + "/24", "dev", "inet");
        ip("-n", name, "link", "set", "inet", "up");
    }

    /**
     * A home router's rules, for iptables-restore. Bridged LAN traffic is let through in case
     * br_netfilter is loaded. With {@code natPmp}, miniupnpd's chains are hooked in as its
     * iptables_init.sh does: its forwards (DNAT) in nat PREROUTING from the WAN, its accepts in
     * FORWARD from the WAN, and its source-port keeping for mapped ports before the MASQUERADE.
     */
    private static String firewall(Nat nat, boolean natPmp) {
        List<String> rules = new ArrayList<>(List.of(
                "*filter",
                ":INPUT ACCEPT [0:0]",
                ":FORWARD DROP [0:0]",
                ":OUTPUT ACCEPT [0:0]"));
        if (natPmp) {
            rules.add(":MINIUPNPD - [0:0]");
        }
        rules.addAll(List.of(
                "-A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A INPUT -i wan -j DROP",
                "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"));
        if (natPmp) {
            rules.add("-A FORWARD -i wan ! -o wan -j MINIUPNPD");
        }
        rules.addAll(List.of(
                "-A FORWARD -i lan -o wan -j ACCEPT",
                "-A FORWARD -i lan -o lan -j ACCEPT",
                "COMMIT",
                "*nat",
                ":PREROUTING ACCEPT [0:0]",
                ":INPUT ACCEPT [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                ":POSTROUTING ACCEPT [0:0]"));
        if (natPmp) {
            rules.addAll(List.of(
                    ":MINIUPNPD - [0:0]",
                    ":MINIUPNPD-POSTROUTING - [0:0]",
                    "-A PREROUTING -i wan -j MINIUPNPD",
                    "-A POSTROUTING -o wan -j MINIUPNPD-POSTROUTING"));
        }
        rules.addAll(List.of(nat.masqueradeRule("wan"), "COMMIT", ""));
        return String.join("\n", rules);
    }

    /**
     * miniupnpd in the router, NAT-PMP only, on the LAN; started once it listens. Its WAN address
     * is in TEST-NET-3, which it treats as private and would not map; STUN (the lab's
     * {@link StunResponder}) shows it that the address reaches the internet unfiltered.
     */
    private void startMiniupnpd(Router router) {
        startStun();
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-miniupnpd-");
            scratch.add(dir);
            Files.writeString(dir.resolve("miniupnpd.conf"), String.join("\n",
                    "ext_ifname=wan",
                    "listening_ip=lan",
                    "enable_natpmp=yes",
                    "enable_upnp=no",
                    "secure_mode=yes",
                    "ext_perform_stun=yes",
                    "ext_stun_host=" + INTERNET_ADDRESS,
                    "ext_stun_port=" + STUN_PORT,
                    "uuid=" + java.util.UUID.randomUUID(),
                    "allow 1024-65535 " + router.lanSubnet() + ".0/24 1024-65535",
                    "deny 0-65535 0.0.0.0/0 0-65535",
                    ""));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write miniupnpd's configuration: " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(router.namespace().prefix());
        // -d: in the foreground, logging to its output; -4: IPv4 only (the lab has no IPv6).
        command.addAll(List.of(SystemCommand.tool("miniupnpd"), "-d", "-4", "-f", dir.resolve("miniupnpd.conf").toString(),
                "-P", dir.resolve("miniupnpd.pid").toString()));
        daemons.add(LabDaemon.start("miniupnpd in " + router.namespace().name(), command,
                line -> line.contains("Listening for NAT-PMP/PCP traffic"), DAEMON_START));
    }

    private void startStun() {
        if (stun != null) {
            return;
        }
        String classPath;
        try {
            classPath = Path.of(StunResponder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot find the classes of " + StunResponder.class.getName(), e);
        }
        List<String> command = new ArrayList<>(internet.prefix());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                StunResponder.class.getName(), INTERNET_ADDRESS, Integer.toString(STUN_PORT)));
        stun = LabDaemon.start("the STUN responder", command, "ready"::equals, DAEMON_START);
        daemons.add(stun);
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

    private void tearDown() {
        List<LabDaemon> running;
        synchronized (daemons) {
            running = new ArrayList<>(daemons);
        }
        running.forEach(LabDaemon::close);
        deleteAll();
        List<Path> dirs;
        synchronized (scratch) {
            dirs = new ArrayList<>(scratch);
        }
        dirs.forEach(NatLab::deleteTree);
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            // Left in the temp directory: small, and named for what it was.
        }
    }

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

    private static Availability probeNatPmp() {
        List<String> missing = new ArrayList<>();
        if (SystemCommand.find("miniupnpd").isEmpty()) {
            missing.add("miniupnpd (Debian: miniupnpd-iptables)");
        }
        if (SystemCommand.find("iptables-legacy-restore").isEmpty()) {
            missing.add("iptables-legacy-restore (iptables)");
        }
        if (!missing.isEmpty()) {
            return new Availability(false, "missing " + String.join(", ", missing));
        }
        String name = FAMILY + ProcessHandle.current().pid() + "x0-pmpprobe";
        CommandResult made = SystemCommand.run(List.of("ip", "netns", "add", name));
        if (!made.succeeded()) {
            return new Availability(false, "cannot create a network namespace: " + made.output().strip());
        }
        try {
            CommandResult nat = SystemCommand.run(List.of("ip", "netns", "exec", name,
                    SystemCommand.tool("iptables-legacy"), "-t", "nat", "-L", "-n"));
            if (!nat.succeeded()) {
                return new Availability(false, "legacy iptables has no NAT table inside a namespace (miniupnpd-iptables "
                        + "needs it): " + nat.output().strip());
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
