package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two real nodes with a direct link, driven through their scripted {@code --json} interface: a
 * message counts when the sender's node has the peer's receipt ({@code sent} via direct), i.e.
 * acknowledged end to end. Also times start-up of the server and of a node.
 */
final class DirectLinkBench implements AutoCloseable {
    private static final Duration LIMIT = NodeCluster.LIMIT;

    private final NodeCluster cluster;
    final double serverStartMillis;
    final double nodeStartMillis;
    private final ChildProcess alice;

    DirectLinkBench(Path serverJar, Path nodeJar) throws IOException, InterruptedException {
        cluster = new NodeCluster(serverJar, nodeJar, List.of("alice", "bob", "carol"), List.of());
        try {
            serverStartMillis = cluster.server.startMillis;
            alice = cluster.node("alice");
            nodeStartMillis = (System.nanoTime() - alice.startedNanos) / 1e6;
            cluster.link(alice, "alice", cluster.node("bob"), "bob");
        } catch (IOException | RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    Measurement measure(int payload, int messages) throws InterruptedException {
        String text = "x".repeat(payload);
        List<Double> rtts = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            long t0 = System.nanoTime();
            alice.send("message bob " + text);
            sentDirect();
            rtts.add((System.nanoTime() - t0) / 1000.0);
        }
        long t0 = System.nanoTime();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            burst.append("message bob ").append(text).append('\n');
        }
        alice.send(burst.substring(0, burst.length() - 1));
        for (int i = 0; i < messages; i++) {
            sentDirect();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Measurement(messages / seconds, Stats.percentile(rtts, 50), Stats.percentile(rtts, 99));
    }

    private void sentDirect() throws InterruptedException {
        String line = alice.await(l -> l.contains("\"event\":\"sent\"") || l.contains("\"event\":\"error\""), LIMIT, "sent");
        if (!line.contains("\"via\":\"direct\"")) {
            throw new IllegalStateException("a benchmark message did not go direct: " + line);
        }
    }

    @Override
    public void close() throws IOException {
        cluster.close();
    }
}
