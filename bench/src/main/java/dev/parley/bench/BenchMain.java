package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the benchmarks and prints a table (and writes it as JSON). Every figure is the median of
 * several runs, with min and max, and is set against baselines measured in the same run.
 *
 * <p>Covered so far: the direct link between two nodes (64 B and 1 KiB) against a bare TLS 1.3
 * echo and a plain TCP echo; start-up time of the server and of a node; logins per second
 * against the ceiling the password hash sets.
 */
public final class BenchMain {
    static final int[] PAYLOADS = {64, 1024};

    public static void main(String[] args) throws Exception {
        int runs = 3;
        int messages = 1000;
        Path out = Path.of("bench-results.json");
        Path server = Path.of("rendezvous/target/quarkus-app/quarkus-run.jar");
        Path node = Path.of("node/target/parley-node.jar");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--server-jar" -> server = Path.of(args[++i]);
                case "--node-jar" -> node = Path.of(args[++i]);
                default -> {
                    System.err.println("error: unknown option " + args[i]
                            + "; options: --runs N --messages N --out FILE --server-jar JAR --node-jar JAR");
                    System.exit(2);
                }
            }
        }
        if (runs < 1 || runs > 50 || messages < 1 || messages > 100_000) {
            System.err.println("error: --runs must be 1-50 and --messages 1-100000");
            System.exit(2);
        }
        Map<String, Object> report = run(runs, messages, server, node, System.out);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
        System.out.println("written: " + out.toAbsolutePath());
    }

    /** Runs everything and returns the report (also printed as a table on {@code log}). */
    static Map<String, Object> run(int runs, int messages, Path serverJar, Path nodeJar, PrintStream log) throws Exception {
        for (Path jar : List.of(serverJar, nodeJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("missing " + jar + ": build first with ./mvnw -DskipTests package");
            }
        }
        Map<String, Map<Integer, List<Measurement>>> samples = new LinkedHashMap<>();
        List<Double> serverStart = new ArrayList<>();
        List<Double> loginRates = new ArrayList<>();
        List<Double> hashTimes = new ArrayList<>();
        int logins = Math.max(4, messages / 20);
        List<Double> nodeStart = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            log.printf("run %d of %d …%n", r + 1, runs);
            try (DirectLinkBench direct = new DirectLinkBench(serverJar, nodeJar)) {
                serverStart.add(direct.serverStartMillis);
                nodeStart.add(direct.nodeStartMillis);
                for (int payload : PAYLOADS) {
                    // Interleaved, so machine noise hits subject and baselines alike.
                    add(samples, "tcp-echo", payload, EchoBaseline.tcp(payload, messages));
                    add(samples, "tls13-echo", payload, EchoBaseline.tls(payload, messages));
                    add(samples, "direct-link", payload, direct.measure(payload, messages));
                }
                hashTimes.add(LoginLoad.hashMillis(Math.max(3, logins / 4)));
                loginRates.add(direct.loginsPerSecond(logins, 2 * Runtime.getRuntime().availableProcessors()));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        log.println();
        log.printf("%-12s %7s %26s %22s %22s %12s %12s%n", "subject", "payload", "msgs/s median [min-max]",
                "p50 us [min-max]", "p99 us [min-max]", "tput/TLS", "p50/TLS");
        for (int payload : PAYLOADS) {
            Stats tlsTput = stat(samples, "tls13-echo", payload, Measurement::messagesPerSecond);
            Stats tlsP50 = stat(samples, "tls13-echo", payload, Measurement::p50Micros);
            for (String subject : samples.keySet()) {
                Stats tput = stat(samples, subject, payload, Measurement::messagesPerSecond);
                Stats p50 = stat(samples, subject, payload, Measurement::p50Micros);
                Stats p99 = stat(samples, subject, payload, Measurement::p99Micros);
                double tputRatio = tput.median() / tlsTput.median();
                double p50Ratio = p50.median() / tlsP50.median();
                log.printf("%-12s %7d %26s %22s %22s %12.2f %12.2f%n", subject, payload, fmt(tput), fmt(p50), fmt(p99),
                        tputRatio, p50Ratio);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("figure", "direct-link");
                row.put("subject", subject);
                row.put("payloadBytes", payload);
                row.put("messagesPerSecond", tput);
                row.put("p50Micros", p50);
                row.put("p99Micros", p99);
                row.put("throughputRatioToTls13Echo", tputRatio);
                row.put("p50RatioToTls13Echo", p50Ratio);
                rows.add(row);
            }
        }
        Stats server = Stats.of(serverStart);
        Stats node = Stats.of(nodeStart);
        log.printf("%nstart-up (ms, median [min-max]): server to ready %s; node to logged in %s%n", fmt(server), fmt(node));

        Stats loginRate = Stats.of(loginRates);
        Stats hash = Stats.of(hashTimes);
        double ceiling = Runtime.getRuntime().availableProcessors() * 1000.0 / hash.median();
        log.printf("logins/s %s; Argon2id hash %.1f ms [%.1f-%.1f]; hash-bound ceiling %.1f logins/s; ratio %.2f%n",
                String.format("%.1f [%.1f-%.1f]", loginRate.median(), loginRate.min(), loginRate.max()),
                hash.median(), hash.min(), hash.max(), ceiling, loginRate.median() / ceiling);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("when", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.version")));
        report.put("runs", runs);
        report.put("messagesPerRun", messages);
        report.put("directLink", rows);
        report.put("startupMillis", Map.of("serverToReady", server, "nodeToLoggedIn", node));
        report.put("login", Map.of("loginsPerSecond", loginRate, "argon2idHashMillis", hash,
                "hashBoundCeilingPerSecond", ceiling, "ratioToCeiling", loginRate.median() / ceiling));
        return report;
    }

    private static void add(Map<String, Map<Integer, List<Measurement>>> samples, String subject, int payload, Measurement m) {
        samples.computeIfAbsent(subject, k -> new LinkedHashMap<>()).computeIfAbsent(payload, k -> new ArrayList<>()).add(m);
    }

    private static Stats stat(Map<String, Map<Integer, List<Measurement>>> samples, String subject, int payload,
            Function<Measurement, Double> field) {
        return Stats.of(samples.get(subject).get(payload).stream().map(field).toList());
    }

    private static String fmt(Stats s) {
        return String.format("%.0f [%.0f-%.0f]", s.median(), s.min(), s.max());
    }
}
