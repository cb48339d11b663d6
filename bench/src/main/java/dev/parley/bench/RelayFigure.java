package dev.parley.bench;

import dev.parley.testsupport.SelfSignedCert;
import dev.parley.testsupport.TrustAnything;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Figure 2: relay between two online users, 64 B and 1 KiB, against Mosquitto (QoS 0 and 1) on
 * the same machine and the direct link, all driven by one load generator ({@link RelayLoad}).
 * Targets (not tests): relay throughput at least Mosquitto QoS 0's, relay p50 within 1.5× of it.
 *
 * <p>The baseline is the broker at its best as our generator drives it: {@code mqtt-qos0} over TLS,
 * like the Parley server. Mosquitto's own C clients ({@link MosquittoClients}) show in the same
 * run what the broker reaches when the generator is not the limit, over TLS and plain TCP; our
 * generator is held to at least half of theirs over TLS, or the baseline would flatter Parley.
 */
final class RelayFigure {
    static final int[] PAYLOADS = {64, 1024};
    static final String BASELINE = "mqtt-qos0";
    /** Driven by RelayLoad: throughput and latency. */
    static final List<String> SUBJECTS = List.of("parley-relay", "node-relay", "node-direct", "mqtt-qos0", "mqtt-qos1");
    /** Mosquitto's own clients, QoS 0: throughput only. */
    static final String CLIENTS_TLS = "mosquitto-clients-tls";
    static final String CLIENTS_PLAIN = "mosquitto-clients-plain";
    /** Our generator must drive the broker at this share of its own clients' rate, both over TLS. */
    static final double GENERATOR_TARGET = 0.5;

    private RelayFigure() {
    }

    /** Returns the report section {@code relay}: one row per subject and payload. */
    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        Samples<RelayLoad.Result> samples = new Samples<>();
        Map<String, String> countedAt = new LinkedHashMap<>();
        SSLContext mqttTls = TrustAnything.context("TLSv1.3", null);
        Optional<String> noClients = MosquittoClients.unavailable();
        noClients.ifPresent(why -> log.println("relay: Mosquitto's own clients' rows are skipped: " + why));
        for (int r = 0; r < o.runs(); r++) {
            log.printf("relay: run %d of %d …%n", r + 1, o.runs());
            try (RelayBench parley = new RelayBench(o.serverJar(), o.nodeJar());
                    Mosquitto mosquitto = Mosquitto.start(SelfSignedCert.create())) {
                List<RelayPair> pairs = new ArrayList<>();
                try {
                    pairs.add(parley.wire());
                    pairs.add(parley.nodeRelay());
                    pairs.add(parley.nodeDirect());
                    pairs.add(MqttPair.open(mqttTls, mosquitto.port, 0));
                    pairs.add(MqttPair.open(mqttTls, mosquitto.port, 1));
                    // A different subject goes first each run, so warm-up and drift do not always favour the same one.
                    Collections.rotate(pairs, -r);
                    for (int payload : PAYLOADS) {
                        for (RelayPair pair : pairs) {
                            RelayLoad.warmUp(pair, payload, o.messages());
                        }
                    }
                    for (int payload : PAYLOADS) {
                        for (RelayPair pair : pairs) {
                            RelayLoad.Result result = RelayLoad.measure(pair, payload, o.messages());
                            samples.add(pair.subject(), payload, result);
                            countedAt.put(pair.subject(), pair.countedAt());
                        }
                        if (noClients.isEmpty()) {
                            // The same burst as every subject's, through the same broker, warmed up above.
                            double tls = MosquittoClients.burst(mosquitto, true, payload, o.messages());
                            double plain = MosquittoClients.burst(mosquitto, false, payload, o.messages());
                            samples.add(CLIENTS_TLS, payload, new RelayLoad.Result(tls, tls, Double.NaN, Double.NaN));
                            samples.add(CLIENTS_PLAIN, payload, new RelayLoad.Result(plain, plain, Double.NaN, Double.NaN));
                            countedAt.put(CLIENTS_TLS, "receiver");
                            countedAt.put(CLIENTS_PLAIN, "receiver");
                        }
                    }
                } finally {
                    // Clients before the servers they talk to.
                    for (RelayPair pair : pairs) {
                        pair.close();
                    }
                }
            }
        }
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("relay", table(samples, countedAt, noClients.isEmpty(), log));
        noClients.ifPresent(why -> sections.put("relayClientsSkipped", why));
        return sections;
    }

    private static List<Map<String, Object>> table(Samples<RelayLoad.Result> samples,
            Map<String, String> countedAt, boolean withClients, PrintStream log) {
        List<String> subjects = new ArrayList<>(SUBJECTS);
        if (withClients) {
            subjects.addAll(List.of(CLIENTS_TLS, CLIENTS_PLAIN));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        log.println();
        log.println("Figure 2: relay between two online users; latency = send until the receiver has it;");
        log.println("throughput = a burst, until the receiver has all and the sender every receipt in 'counted at';");
        log.println("ratios against " + BASELINE + " (Mosquitto at its best as our generator drives it, TLS); mosquitto-clients-*:");
        log.println("Mosquitto's own mosquitto_pub -l / mosquitto_sub, QoS 0, first to last message received (no latency)");
        log.printf("%-23s %7s %-21s %24s %20s %20s %9s %9s%n", "subject", "payload", "counted at",
                "msgs/s median [min-max]", "p50 us [min-max]", "p99 us [min-max]", "tput/q0", "p50/q0");
        for (int payload : PAYLOADS) {
            Stats baseTput = samples.stat(BASELINE, payload, RelayLoad.Result::messagesPerSecond);
            Stats baseP50 = samples.stat(BASELINE, payload, RelayLoad.Result::p50Micros);
            for (String subject : subjects) {
                Stats tput = samples.stat(subject, payload, RelayLoad.Result::messagesPerSecond);
                Stats received = samples.stat(subject, payload, RelayLoad.Result::receivedPerSecond);
                Stats p50 = samples.stat(subject, payload, RelayLoad.Result::p50Micros);
                Stats p99 = samples.stat(subject, payload, RelayLoad.Result::p99Micros);
                double tputRatio = tput.median() / baseTput.median();
                double p50Ratio = p50.median() / baseP50.median();
                boolean timed = !Double.isNaN(p50.median());
                log.printf("%-23s %7d %-21s %24s %20s %20s %9.2f %9s%n", subject, payload, countedAt.get(subject),
                        Stats.fmt(tput), timed ? Stats.fmt(p50) : "-", timed ? Stats.fmt(p99) : "-", tputRatio,
                        timed ? String.format("%.2f", p50Ratio) : "-");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("subject", subject);
                row.put("payloadBytes", payload);
                row.put("throughputCountedAt", countedAt.get(subject));
                row.put("messagesPerSecond", tput);
                row.put("receivedPerSecond", received);
                if (timed) {
                    row.put("p50Micros", p50);
                    row.put("p99Micros", p99);
                }
                row.put("throughputRatioToMqttQos0", tputRatio);
                if (timed) {
                    row.put("p50RatioToMqttQos0", p50Ratio);
                }
                rows.add(row);
            }
        }
        for (int payload : PAYLOADS) {
            Map<String, Object> relay = rows.stream()
                    .filter(row -> row.get("subject").equals("parley-relay") && row.get("payloadBytes").equals(payload))
                    .findFirst().orElseThrow();
            double tputRatio = (Double) relay.get("throughputRatioToMqttQos0");
            double p50Ratio = (Double) relay.get("p50RatioToMqttQos0");
            relay.put("targetsMet", tputRatio >= 1.0 && p50Ratio <= 1.5);
            log.printf("targets at %d B: relay throughput >= mqtt-qos0 (%.2f): %s; relay p50 <= 1.5x mqtt-qos0 (%.2f): %s%n",
                    payload, tputRatio, tputRatio >= 1.0 ? "met" : "MISSED", p50Ratio, p50Ratio <= 1.5 ? "met" : "MISSED");
        }
        if (withClients) {
            for (int payload : PAYLOADS) {
                double share = samples.stat(BASELINE, payload, RelayLoad.Result::messagesPerSecond).median()
                        / samples.stat(CLIENTS_TLS, payload, RelayLoad.Result::messagesPerSecond).median();
                rows.stream().filter(row -> row.get("subject").equals(BASELINE) && row.get("payloadBytes").equals(payload))
                        .findFirst().orElseThrow().put("shareOfMosquittoClientsTls", share);
                log.printf("baseline at %d B: our generator drives Mosquitto at %.2fx of its own clients over TLS (>= %.1f: %s)%n",
                        payload, share, GENERATOR_TARGET, share >= GENERATOR_TARGET ? "met" : "MISSED");
            }
        }
        return rows;
    }
}
