package dev.parley.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures 1 and 6: the direct link between two nodes (64 B and 1 KiB) against a bare TLS 1.3
 * echo and a plain TCP echo, both as node processes driven through {@code --json} and as two
 * nodes' link layers in this JVM ({@link InProcessLink}); start-up of the server and of a node.
 * All from the same server and nodes per run. (Figure 5, logins, is {@link LoginFigure}.)
 */
final class DirectLinkFigure {
    static final int[] PAYLOADS = {64, 1024};
    /** Warm-up of the subjects in this JVM, in multiples of {@code --messages}. */
    static final int IN_JVM_WARM_UP = 10;

    private DirectLinkFigure() {
    }

    /** Returns the report sections {@code directLink} and {@code startupMillis}. */
    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        Samples<Measurement> samples = new Samples<>();
        List<Double> serverStart = new ArrayList<>();
        List<Double> nodeStart = new ArrayList<>();
        for (int r = 0; r < o.runs(); r++) {
            log.printf("direct link: run %d of %d …%n", r + 1, o.runs());
            try (DirectLinkBench direct = new DirectLinkBench(o.serverJar(), o.nodeJar());
                    InProcessLink inJvm = new InProcessLink()) {
                serverStart.add(direct.serverStartMillis);
                nodeStart.add(direct.nodeStartMillis);
                // Unrecorded warm-up of every subject at every size: fresh JVMs would otherwise
                // make whichever size runs first pay for the JIT. The subjects in this JVM get
                // more of it, alike: their JIT runs on cores the rest of the harness shares.
                int warmUp = IN_JVM_WARM_UP * o.messages();
                inJvm.warmUp(PAYLOADS, warmUp);
                for (int payload : PAYLOADS) {
                    EchoBaseline.tcp(payload, warmUp);
                    EchoBaseline.tls(payload, warmUp);
                    inJvm.measure(payload, o.messages());
                    direct.measure(payload, o.messages());
                }
                for (int payload : PAYLOADS) {
                    // Interleaved, so machine noise hits subject and baselines alike.
                    samples.add("tcp-echo", payload, EchoBaseline.tcp(payload, o.messages()));
                    samples.add("tls13-echo", payload, EchoBaseline.tls(payload, o.messages()));
                    samples.add("direct-in-jvm", payload, inJvm.measure(payload, o.messages()));
                    samples.add("direct-link", payload, direct.measure(payload, o.messages()));
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        log.println();
        log.println("Figure 1: direct link, acknowledged end to end, against echoes on the same JDK");
        log.printf("%-13s %7s %26s %22s %22s %12s %12s%n", "subject", "payload", "msgs/s median [min-max]",
                "p50 us [min-max]", "p99 us [min-max]", "tput/TLS", "p50/TLS");
        for (int payload : PAYLOADS) {
            Stats tlsTput = samples.stat("tls13-echo", payload, Measurement::messagesPerSecond);
            Stats tlsP50 = samples.stat("tls13-echo", payload, Measurement::p50Micros);
            for (String subject : samples.subjects()) {
                Stats tput = samples.stat(subject, payload, Measurement::messagesPerSecond);
                Stats p50 = samples.stat(subject, payload, Measurement::p50Micros);
                Stats p99 = samples.stat(subject, payload, Measurement::p99Micros);
                double tputRatio = tput.median() / tlsTput.median();
                double p50Ratio = p50.median() / tlsP50.median();
                log.printf("%-13s %7d %26s %22s %22s %12.2f %12.2f%n", subject, payload, Stats.fmt(tput), Stats.fmt(p50),
                        Stats.fmt(p99), tputRatio, p50Ratio);
                Map<String, Object> row = new LinkedHashMap<>();
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
        log.printf("%nFigure 6: start-up (ms, median [min-max]): server to ready %s; node to logged in %s%n",
                Stats.fmt(server), Stats.fmt(node));

        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("directLink", rows);
        sections.put("startupMillis", Map.of("serverToReady", server, "nodeToLoggedIn", node));
        return sections;
    }
}
