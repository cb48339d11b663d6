package dev.parley.bench;

import dev.parley.node.LinkedNodes;
import dev.parley.node.output.JsonPrinter;
import dev.parley.node.p2p.Identity;
import dev.parley.node.p2p.ReusePortTransport;
import dev.parley.node.route.MessageRouter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Subject {@code direct-in-jvm}: figure 1's direct link without the processes around it. Two
 * nodes' link layers in this JVM ({@link LinkedNodes}: the node's own router, links, TLS and codec,
 * each node on its own Vert.x with one event loop, as {@code NodeMain} makes it), and a message
 * counts when the sender's router has the receiver's receipt. Both print their events as
 * {@code --json} does, into a stream that drops them.
 */
final class InProcessLink implements AutoCloseable {
    private static final long LIMIT_SECONDS = NodeCluster.LIMIT.toSeconds();

    private final Path work;
    private final Vertx senderVertx;
    private final Vertx receiverVertx;
    private final LinkedNodes.Side alice;
    private final LinkedNodes.Side bob;
    private LinkedNodes pair;

    InProcessLink() throws Exception {
        work = Files.createTempDirectory("parley-link");
        senderVertx = vertx();
        receiverVertx = vertx();
        try {
            alice = side("alice", senderVertx);
            bob = side("bob", receiverVertx);
            pair = open();
        } catch (Exception e) {
            closeVertx();
            Scratch.deleteDirectory(work);
            throw e;
        }
    }

    /**
     * Runs {@code messages} at each size over a link of its own, then measures on a fresh one: the
     * JIT has compiled the whole path by then (on a busy 2-core machine that takes tens of
     * thousands of messages), and the measured link starts with the whole burst its peer's
     * {@code LinkRateLimit} allows, which a warm-up that large would have used up.
     */
    void warmUp(int[] payloads, int messages) throws Exception {
        for (int payload : payloads) {
            measure(payload, messages);
        }
        LinkedNodes fresh = open();
        pair.close();
        pair = fresh;
    }

    /** Latency one message at a time, then throughput of a burst counted until the last receipt. */
    Measurement measure(int payload, int messages) throws Exception {
        String text = "x".repeat(payload);
        List<Double> rtts = roundTrips(text, messages);
        return new Measurement(messages / burstSeconds(text, messages), Stats.percentile(rtts, 50),
                Stats.percentile(rtts, 99));
    }

    /**
     * Microseconds from each send to its receipt, one message at a time. Each send is made on the
     * sender's event loop as the previous receipt arrives there, as the echo's client writes as
     * soon as it has read: two threads take turns, not three (the harness's own thread would add
     * a hand-over each way that no node has).
     */
    List<Double> roundTrips(String text, int messages) throws Exception {
        List<Double> rtts = new ArrayList<>(messages);
        CompletableFuture<Void> done = new CompletableFuture<>();
        senderVertx.getOrCreateContext().runOnContext(v -> next(text, messages, rtts, done));
        done.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        return rtts;
    }

    private void next(String text, int messages, List<Double> rtts, CompletableFuture<Void> done) {
        long t0 = System.nanoTime();
        pair.send(text).whenComplete((outcome, failure) -> {
            rtts.add((System.nanoTime() - t0) / 1000.0);
            if (failure != null || !outcome.via().equals("direct")) {
                done.completeExceptionally(failure != null ? failure
                        : new IllegalStateException("a benchmark message did not go direct: " + outcome));
            } else if (rtts.size() == messages) {
                done.complete(null);
            } else {
                next(text, messages, rtts, done);
            }
        });
    }

    /** Seconds from the first send of a burst to the last receipt. */
    double burstSeconds(String text, int messages) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<MessageRouter.Outcome>> burst = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            burst.add(pair.send(text));
        }
        for (CompletableFuture<MessageRouter.Outcome> sent : burst) {
            direct(sent.get(LIMIT_SECONDS, TimeUnit.SECONDS));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() throws IOException {
        pair.close();
        closeVertx();
        Scratch.deleteDirectory(work);
    }

    private LinkedNodes open() throws Exception {
        return LinkedNodes.open(alice, bob).get(LIMIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void direct(MessageRouter.Outcome outcome) {
        if (!outcome.via().equals("direct")) {
            throw new IllegalStateException("a benchmark message did not go direct: " + outcome);
        }
    }

    private LinkedNodes.Side side(String user, Vertx vertx) throws IOException {
        Path data = Files.createDirectory(work.resolve(user));
        Identity identity = Identity.loadOrCreate(data, warning -> { });
        PrintStream dropped = new PrintStream(OutputStream.nullOutputStream(), false, java.nio.charset.StandardCharsets.UTF_8);
        return new LinkedNodes.Side(user, vertx, identity, new JsonPrinter(dropped, Clock.systemUTC()));
    }

    private static Vertx vertx() {
        return ReusePortTransport.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    }

    private void closeVertx() {
        for (Vertx v : List.of(senderVertx, receiverVertx)) {
            try {
                v.close().toCompletionStage().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Closing at the end of a measurement: nothing left to do with it.
            }
        }
    }
}
