package dev.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The load generator for figure 2, the same for every subject. Latency: one message at a time,
 * from send until the receiver has it (same process, one clock), the next one only once the sender
 * has its receipt. Throughput: a burst of N, until the receiver has all N and the sender every
 * receipt its protocol gives.
 */
final class RelayLoad {
    /** The longest any single wait may take; a stall fails the run with the subject named. */
    static final Duration LIMIT = Duration.ofSeconds(60);
    /** One-at-a-time messages in a warm-up, before its burst. */
    static final int WARM_UP = 200;

    /** One run of one subject at one size; {@code messagesPerSecond} counts receipts too. */
    record Result(double receivedPerSecond, double messagesPerSecond, double p50Micros, double p99Micros) {
        Measurement measurement() {
            return new Measurement(messagesPerSecond, p50Micros, p99Micros);
        }
    }

    private RelayLoad() {
    }

    /**
     * Unrecorded traffic of both kinds (one at a time, then a burst of {@code messages}), so that
     * every subject, and the fresh server JVM most of all, meets the measured messages warmed up:
     * otherwise whichever size is measured first pays for the JIT compiler.
     */
    static void warmUp(RelayPair pair, int payload, int messages) throws Exception {
        pair.ready();
        String text = "x".repeat(payload);
        for (int i = 0; i < Math.min(messages, WARM_UP); i++) {
            pair.send(text);
            pair.awaitReceived(LIMIT);
            pair.awaitConfirmed(LIMIT);
        }
        for (int i = 0; i < messages; i++) {
            pair.send(text);
        }
        for (int i = 0; i < messages; i++) {
            pair.awaitReceived(LIMIT);
        }
        for (int i = 0; i < messages; i++) {
            pair.awaitConfirmed(LIMIT);
        }
    }

    static Result measure(RelayPair pair, int payload, int messages) throws Exception {
        pair.ready();
        String text = "x".repeat(payload);
        List<Double> latencies = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            long t0 = System.nanoTime();
            pair.send(text);
            latencies.add((pair.awaitReceived(LIMIT) - t0) / 1000.0);
            pair.awaitConfirmed(LIMIT);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            pair.send(text);
        }
        long lastReceived = 0;
        for (int i = 0; i < messages; i++) {
            lastReceived = pair.awaitReceived(LIMIT);
        }
        long done = lastReceived;
        for (int i = 0; i < messages; i++) {
            done = Math.max(done, pair.awaitConfirmed(LIMIT));
        }
        return new Result(messages / ((lastReceived - t0) / 1e9), messages / ((done - t0) / 1e9),
                Stats.percentile(latencies, 50), Stats.percentile(latencies, 99));
    }
}
