package dev.parley.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to run and how big. {@code figures} names the parts: {@code direct} (direct link and
 * start-up), {@code logins}, {@code relay}, {@code stall}, {@code capacity}, {@code drain}, {@code nat}.
 */
record BenchOptions(int runs, int messages, List<Integer> sessions, int drainMessages, int stallMessages, int idleSeconds, int natTrials,
        List<NatPairing> natPairings, int natWaitSeconds, Path serverJar, Path nodeJar, Set<String> figures, Path out) {
    static final List<String> FIGURES = List.of("direct", "logins", "relay", "stall", "capacity", "drain", "nat");

    static BenchOptions defaults() {
        return new BenchOptions(3, 1000, List.of(1000, 5000, 10_000), 10_000, 30_000, 10, 20, List.of(NatPairing.values()), 15,
                Path.of("rendezvous/target/quarkus-app/quarkus-run.jar"), Path.of("node/target/parley-node.jar"),
                new LinkedHashSet<>(FIGURES), Path.of("bench-results.json"));
    }

    boolean wants(String figure) {
        return figures.contains(figure);
    }

    static final String USAGE = "options: --runs N (1-50) --messages N (1-100000) --sessions N,N,.. (1-50000 each)"
            + " --drain N (1-100000) --stall-messages N (1-1000000) --idle-seconds N (1-120) --nat-trials N (1-100) --nat-pairings "
            + String.join(",", NatPairing.labels()) + " --nat-wait SECONDS (1-120) --only " + String.join(",", FIGURES)
            + " --out FILE --server-jar JAR --node-jar JAR";

    /** Parses the command line; throws IllegalArgumentException with a one-line reason. */
    static BenchOptions parse(String[] args) {
        BenchOptions o = defaults();
        int runs = o.runs;
        int messages = o.messages;
        List<Integer> sessions = o.sessions;
        int drain = o.drainMessages;
        int stall = o.stallMessages;
        int idle = o.idleSeconds;
        int natTrials = o.natTrials;
        List<NatPairing> pairings = o.natPairings;
        int natWait = o.natWaitSeconds;
        Path server = o.serverJar;
        Path node = o.nodeJar;
        Set<String> figures = o.figures;
        Path out = o.out;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--runs" -> runs = number(name, value, 1, 50);
                case "--messages" -> messages = number(name, value, 1, 100_000);
                case "--drain" -> drain = number(name, value, 1, 100_000);
                case "--stall-messages" -> stall = number(name, value, 1, 1_000_000);
                case "--idle-seconds" -> idle = number(name, value, 1, 120);
                case "--nat-trials" -> natTrials = number(name, value, 1, 100);
                case "--nat-wait" -> natWait = number(name, value, 1, 120);
                case "--nat-pairings" -> {
                    pairings = new ArrayList<>();
                    for (String p : value.split(",")) {
                        pairings.add(NatPairing.byLabel(p.strip()).orElseThrow(() -> new IllegalArgumentException(
                                "unknown pairing '" + p + "'; pairings: " + String.join(",", NatPairing.labels()))));
                    }
                }
                case "--sessions" -> {
                    sessions = new ArrayList<>();
                    for (String s : value.split(",")) {
                        sessions.add(number(name, s.strip(), 1, 50_000));
                    }
                    sessions.sort(null);
                }
                case "--only" -> {
                    figures = new LinkedHashSet<>();
                    for (String f : value.split(",")) {
                        if (!FIGURES.contains(f.strip())) {
                            throw new IllegalArgumentException("unknown figure '" + f + "'; figures: " + String.join(",", FIGURES));
                        }
                        figures.add(f.strip());
                    }
                }
                case "--out" -> out = Path.of(value);
                case "--server-jar" -> server = Path.of(value);
                case "--node-jar" -> node = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
            }
        }
        pairings = List.copyOf(new LinkedHashSet<>(pairings)); // a pairing named twice runs once (its users are per pairing)
        int routers = NatFigure.routersNeeded(pairings, natTrials);
        if (routers > NatFigure.LAB_ROUTERS) {
            throw new IllegalArgumentException("--nat-trials " + natTrials + " needs " + routers + " routers with these pairings;"
                    + " the NAT lab has " + NatFigure.LAB_ROUTERS);
        }
        return new BenchOptions(runs, messages, List.copyOf(sessions), drain, stall, idle, natTrials, pairings, natWait,
                server, node, figures, out);
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ", not '" + value + "'");
    }
}
