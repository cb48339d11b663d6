package dev.parley.bench;

import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.nat.Namespace;
import dev.parley.testsupport.nat.NatLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The NAT lab with the packaged server on its internet, one for the whole figure (every trial's
 * users are seeded in its credentials file), and the trials run in it: two real {@code --json}
 * nodes on fresh hosts behind fresh routers of a {@link NatPairing}. A trial has two phases:
 * {@code consent} (the asker asks for the target's address, the target consents, the asker dials)
 * and {@code contact} (both nodes quit and start again on their data, and the contact that logs in
 * second dials by itself). Each phase waits a bounded time for the dialer's {@code link-up}, then
 * sends messages and checks each arrived exactly once. Each host counts its own TCP connection
 * attempts in its firewall (a counting rule, nothing dropped).
 */
final class NatBench implements AutoCloseable {
    /** The bound on a step that should take moments: a login, a consent, a batch of messages. */
    static final Duration STEP = Duration.ofSeconds(60);
    /** Messages sent after each phase's wait. */
    static final int MESSAGES = 20;
    /** Events left out of a trial's note: the messages and the harness's own commands. */
    private static final Set<String> CHATTER = Set.of("message", "sent", "delivered", "whoami", "consent-asked");

    private final NatLab lab;
    private final ServerProcess server;
    private final Path work;
    private final Duration wait;

    /**
     * Builds the lab and starts the server in it; {@code wait} is how long a phase waits for a
     * direct link before it counts as not direct.
     */
    NatBench(Path serverJar, Path nodeJar, List<String> users, Duration wait) throws IOException, InterruptedException {
        // The kit's NodeProcess finds the node's jar through this property.
        System.setProperty("parley.node.jar", nodeJar.toAbsolutePath().toString());
        this.wait = wait;
        work = Files.createTempDirectory("parley-bench-nat");
        NatLab made = null;
        try {
            made = NatLab.create();
            StringBuilder credentials = new StringBuilder();
            users.forEach(u -> credentials.append(u).append(' ').append(NodeCluster.password(u)).append('\n'));
            Path file = Files.writeString(work.resolve("credentials"), credentials);
            server = ServerProcess.launch(Files.createDirectory(work.resolve("server"))).jar(serverJar)
                    .within(made.internet().prefix()).host(made.internet().address())
                    .options(List.of("--credentials", file.toString())).quiet().start();
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            if (made != null) {
                made.close(); // kills the server too, if it got that far
            }
            Scratch.deleteDirectory(work);
            throw e;
        }
        lab = made;
    }

    /** The users of one trial: the asker, then the target. */
    static List<String> users(NatPairing pairing, int trial) {
        return List.of(pairing.code + trial + "a", pairing.code + trial + "b");
    }

    /** Runs one trial; returns its consent phase and its contact phase. A trial that breaks off says why. */
    List<NatTrial> trial(NatPairing pairing, int trial) throws IOException {
        String asker = users(pairing, trial).get(0);
        String target = users(pairing, trial).get(1);
        List<Namespace> hosts = pairing.hosts(lab);
        hosts.forEach(this::countSyns);
        Path askerData = Files.createTempDirectory(work, "node-" + asker + "-"); // owner-only, as the node wants it
        Path targetData = Files.createTempDirectory(work, "node-" + target + "-");
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            NatTrial consent;
            try {
                NodeProcess a = start(hosts.get(0), asker, askerData, nodes);
                NodeProcess b = start(hosts.get(1), target, targetData, nodes);
                loggedIn(a, asker);
                loggedIn(b, target);
                syns(hosts);
                Instant introduced = consent(a, asker, b, target);
                consent = phase(pairing, NatTrial.CONSENT, trial, a, asker, b, target, introduced, hosts);
            } catch (AssertionError | RuntimeException e) {
                String why = firstLine(e);
                return List.of(NatTrial.broken(pairing, NatTrial.CONSENT, trial, why, notes(nodes, null)),
                        NatTrial.broken(pairing, NatTrial.CONTACT, trial, "not run: the consent phase broke off", null));
            }
            // Both quit (end of input: they log out), then come back on their data.
            stop(nodes);
            NatTrial contact;
            try {
                NodeProcess a = start(hosts.get(0), asker, askerData, nodes);
                loggedIn(a, asker);
                syns(hosts);
                NodeProcess b = start(hosts.get(1), target, targetData, nodes);
                Instant online = loggedIn(b, target);
                contact = phase(pairing, NatTrial.CONTACT, trial, b, target, a, asker, online, hosts);
            } catch (AssertionError | RuntimeException e) {
                contact = NatTrial.broken(pairing, NatTrial.CONTACT, trial, firstLine(e), notes(nodes, null));
            }
            return List.of(consent, contact);
        } finally {
            stop(nodes);
        }
    }

    /**
     * From {@code start}, waits for the dialer's link-up (at most the wait), then sends the
     * messages from the dialer and counts how they arrived.
     */
    private NatTrial phase(NatPairing pairing, String phase, int trial, NodeProcess dialer, String dialerName,
            NodeProcess other, String otherName, Instant start, List<Namespace> hosts) {
        Duration left = Duration.between(Instant.now(), start.plus(wait));
        Optional<NodeProcess.Output> up = dialer.poll(o -> o.is("link-up") && otherName.equals(o.field("user")),
                left.isNegative() ? Duration.ZERO : left);
        int syns = syns(hosts);
        Double millis = up.map(o -> Duration.between(start, ts(o)).toNanos() / 1e6).orElse(null);
        List<String> failures = dialer.outputs().stream()
                .filter(o -> o.is("link-failed") && otherName.equals(o.field("user")))
                .filter(o -> up.isEmpty() || o.seq() < up.get().seq()).map(o -> o.field("reason")).toList();
        Delivery delivery = deliver(dialer, dialerName, other, otherName);
        boolean linkLost = dialer.outputs().stream().anyMatch(o -> o.is("link-down"));
        boolean odd = pairing.directTarget && up.isEmpty() || delivery.deliveredOnce() < MESSAGES || !delivery.inOrder()
                || linkLost;
        return new NatTrial(pairing.label, phase, trial, up.isPresent(), up.map(o -> o.field("how")).orElse(null), millis,
                failures.size(), failures, syns, delivery.sent(), delivery.deliveredOnce(), delivery.viaDirect(), delivery.inOrder(), null,
                odd ? notes(List.of(dialer, other), start) : null);
    }

    private record Delivery(int sent, int viaDirect, int deliveredOnce, boolean inOrder) {
    }

    /** {@link #MESSAGES} messages from one to the other: how many were confirmed, how, and how many were shown exactly once. */
    private static Delivery deliver(NodeProcess from, String fromName, NodeProcess to, String toName) {
        String tag = Long.toString(System.nanoTime(), 36);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            expected.add(tag + " #" + i);
            from.send("message " + toName + " " + expected.get(i));
        }
        long deadline = System.nanoTime() + STEP.toNanos();
        int sent = 0;
        int direct = 0;
        for (; sent < MESSAGES; sent++) {
            Optional<NodeProcess.Output> confirmed = from.poll(o -> o.is("sent") && toName.equals(o.field("to")), left(deadline));
            if (confirmed.isEmpty()) {
                break;
            }
            direct += "direct".equals(confirmed.get().field("via")) ? 1 : 0;
        }
        Predicate<NodeProcess.Output> mine = o -> o.is("message") && fromName.equals(o.field("from"))
                && o.field("text") != null && o.field("text").startsWith(tag + " ");
        for (int shown = 0; shown < MESSAGES && to.poll(mine, left(deadline)).isPresent(); shown++) {
            // taken; counted below with any second copy
        }
        // What the server had pushed is printed before the answer to a command: a second copy would be there by now.
        to.send("whoami");
        to.poll(o -> o.is("whoami"), left(deadline));
        List<String> texts = to.outputs().stream().filter(mine).map(o -> o.field("text")).toList();
        int once = (int) expected.stream().filter(t -> Collections.frequency(texts, t) == 1).count();
        return new Delivery(sent, direct, once, texts.equals(expected));
    }

    private static Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static Instant consent(NodeProcess asker, String askerName, NodeProcess target, String targetName) {
        asker.send("getaddress " + targetName);
        target.await(o -> o.is("consent-request") && askerName.equals(o.field("from")), STEP, "a consent request from " + askerName);
        target.send("consent " + askerName);
        return ts(asker.await(o -> o.is("introduced") && targetName.equals(o.field("user")), STEP, "the introduction to " + targetName));
    }

    /** A JSON node for {@code user} inside {@code host}, listening for peers on every address there; its password typed. */
    private NodeProcess start(Namespace host, String user, Path data, List<NodeProcess> nodes) throws IOException {
        NodeProcess node = NodeProcess.start(user, host.prefix(), List.of("--server", server.url(), "--trust-fingerprint",
                server.fingerprint, "--user", user, "--data-dir", data.toString(), "--json", "--p2p-host", "0.0.0.0"));
        nodes.add(node);
        node.send(NodeCluster.password(user));
        return node;
    }

    private static Instant loggedIn(NodeProcess node, String user) {
        return ts(node.await(o -> o.is("logged-in") && user.equals(o.field("user")), STEP, user + " logged in"));
    }

    /** Ends every node's input (it logs out and exits), killing it if it does not. */
    private static void stop(List<NodeProcess> nodes) {
        nodes.forEach(NodeProcess::close);
        nodes.clear();
    }

    /** Counts, in the host's own firewall (empty so far), the TCP connections it opens to anyone but the server. */
    private void countSyns(Namespace host) {
        lab.exec(host, "iptables", "-I", "OUTPUT", "-p", "tcp", "--syn", "!", "-d", NatLab.INTERNET_ADDRESS).requireSuccess();
    }

    /** The connection attempts the hosts counted since the last call (the counters start again from zero). */
    private int syns(List<Namespace> hosts) {
        int total = 0;
        for (Namespace host : hosts) {
            String table = lab.exec(host, "iptables", "-L", "OUTPUT", "-v", "-x", "-n", "-Z").requireSuccess().output();
            // The chain's line, the column headers, then the one rule, its packet count first.
            String rule = table.lines().skip(2).findFirst().orElseThrow(() -> new IllegalStateException("no counting rule: " + table));
            total += Integer.parseInt(rule.strip().split("\\s+")[0]);
        }
        return total;
    }

    /**
     * What the nodes printed but the messages, one event a line with its time from {@code start}
     * (if given): the transcript of a trial that went wrong.
     */
    private static String notes(List<NodeProcess> nodes, Instant start) {
        StringBuilder notes = new StringBuilder();
        for (NodeProcess node : nodes) {
            notes.append(node.name).append(":\n");
            for (NodeProcess.Output o : node.outputs()) {
                if (o.event() != null && CHATTER.contains(o.event())) {
                    continue;
                }
                String when = start != null && o.field("ts") != null
                        ? String.format("%+.0f ms ", Duration.between(start, ts(o)).toNanos() / 1e6) : "";
                notes.append("  ").append(when).append(o.json() == null ? o.line() : o.json().toString()).append('\n');
            }
        }
        return notes.toString();
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        return message.lines().findFirst().orElse(message);
    }

    private static Instant ts(NodeProcess.Output o) {
        return Instant.parse(o.field("ts"));
    }

    /** Stops the server and deletes the lab (killing whatever still runs in it) and the work directory. */
    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the lab's teardown kills it all the same
        } finally {
            try {
                lab.close();
            } finally {
                Scratch.deleteDirectory(work);
            }
        }
    }
}
