package dev.parley.bench;

import dev.parley.testsupport.SelfSignedCert;
import dev.parley.testsupport.TrustAnything;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Figure 2: relay between two online users, 64 B and 1 KiB, against Mosquitto (QoS 0 and 1) on
 * the same machine and the direct link, all driven by one load generator ({@link RelayLoad}).
 * Targets (not tests): relay throughput at least Mosquitto QoS 0's, relay p50 within 1.5× of it.
 */
final class RelayFigure {
    static final int[] PAYLOADS = {64, 1024};
    static final String BASELINE = "mqtt-qos0";
    static final List<String> SUBJECTS = List.of("parley-relay", "node-relay", "node-direct", "mqtt-qos0", "mqtt-qos1");

    private RelayFigure() {
    }

    /** Returns the report section {@code relay}: one row per subject and payload. */
    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        Samples<RelayLoad.Result> samples = new Samples<>();
        Map<String, String> countedAt = new LinkedHashMap<>();
        SSLContext mqttTls = TrustAnything.context("TLSv1.3", null);
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
                    }
                } finally {
                    // Clients before the servers they talk to.
                    for (RelayPair pair : pairs) {
                        pair.close();
                    }
                }
            }
        }
        return Map.of("relay", table(samples, countedAt, log));
    }

    private static List<Map<String, Object>> table(Samples<RelayLoad.Result> samples,
            Map<String, String> countedAt, PrintStream log) {
        List<Map<String, Object>> rows = new ArrayList<>();
        log.println();
        log.println("Figure 2: relay between two online users; latency = send until the receiver has it;");
        log.println("throughput = a burst, until the receiver has all and the sender every receipt in 'counted at'");
        log.printf("%-12s %7s %-21s %24s %20s %20s %9s %9s%n", "subject", "payload", "counted at",
                "msgs/s median [min-max]", "p50 us [min-max]", "p99 us [min-max]", "tput/q0", "p50/q0");
        for (int payload : PAYLOADS) {
            Stats baseTput = samples.stat(BASELINE, payload, RelayLoad.Result::messagesPerSecond);
            Stats baseP50 = samples.stat(BASELINE, payload, RelayLoad.Result::p50Micros);
            for (String subject : SUBJECTS) {
                Stats tput = samples.stat(subject, payload, RelayLoad.Result::messagesPerSecond);
                Stats received = samples.stat(subject, payload, RelayLoad.Result::receivedPerSecond);
                Stats p50 = samples.stat(subject, payload, RelayLoad.Result::p50Micros);
                Stats p99 = samples.stat(subject, payload, RelayLoad.Result::p99Micros);
                double tputRatio = tput.median() / baseTput.median();
                double p50Ratio = p50.median() / baseP50.median();
                log.printf("%-12s %7d %-21s %24s %20s %20s %9.2f %9.2f%n", subject, payload, countedAt.get(subject),
                        Stats.fmt(tput), Stats.fmt(p50), Stats.fmt(p99), tputRatio, p50Ratio);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("subject", subject);
                row.put("payloadBytes", payload);
                row.put("throughputCountedAt", countedAt.get(subject));
                row.put("messagesPerSecond", tput);
                row.put("receivedPerSecond", received);
                row.put("p50Micros", p50);
                row.put("p99Micros", p99);
                row.put("throughputRatioToMqttQos0", tputRatio);
                row.put("p50RatioToMqttQos0", p50Ratio);
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
        return rows;
    }
}
