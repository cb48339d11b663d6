package dev.parley.bench;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.SessionSocket;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Figure 8: bounded queues stay bounded at speed. One user's session stops reading
 * ({@link StalledSession}) while another floods it: each step a message to it through the relay
 * and a broadcast, both {@link #PAYLOAD} bytes. The relay pushes at most its window of
 * unacknowledged messages to a session and keeps at most its quota waiting per sender (then it
 * refuses with {@code quota}); broadcasts have no window, so they fill the stalled session's
 * outbound queue until the server closes it as a {@code slow-consumer} (its limit
 * {@code parley.session.max-outbound-bytes}, 4 MiB by default). The server's memory (heap after a
 * full GC, and RSS) is read before the flood, twice during it and after it. Flat memory and that
 * close are the point; the flood's rate is for information.
 */
final class StallFigure {
    static final int PAYLOAD = 1024;
    /** Requests sent but not yet answered: a flood, but one the sender reads the answers of. */
    private static final int WINDOW = 500;
    private static final Duration LIMIT = RelayLoad.LIMIT;
    private static final String FLOODER = "flooder";
    private static final String STALLED = "stalled";

    private StallFigure() {
    }

    /** One run: bytes at each point, and what happened to the stalled session. */
    record Run(long heapStart, long heapDuringMax, long heapAfter, long rssStart, long rssDuringMax, long rssAfter,
            double stepsPerSecond, int relayed, int stored, int refused, boolean closedAsSlowConsumer,
            int closedSeenByStep) {
    }

    /** Returns the report section {@code stall}. */
    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < o.runs(); r++) {
            log.printf("stall: run %d of %d …%n", r + 1, o.runs());
            runs.add(once(o));
        }
        Stats heapStart = stat(runs, Run::heapStart);
        Stats heapDuring = stat(runs, Run::heapDuringMax);
        Stats heapAfter = stat(runs, Run::heapAfter);
        Stats rssStart = stat(runs, Run::rssStart);
        Stats rssDuring = stat(runs, Run::rssDuringMax);
        Stats rssAfter = stat(runs, Run::rssAfter);
        Stats rate = Stats.of(runs.stream().map(Run::stepsPerSecond).toList());
        long closed = runs.stream().filter(Run::closedAsSlowConsumer).count();
        log.println();
        log.printf("Figure 8: one session stops reading while another sends it %d messages and %d broadcasts of %d B%n",
                o.stallMessages(), o.stallMessages(), PAYLOAD);
        log.printf("%-22s %22s %22s %22s%n", "MiB median [min-max]", "before", "during (highest)", "after");
        log.printf("%-22s %22s %22s %22s%n", "heap after GC", mib(heapStart), mib(heapDuring), mib(heapAfter));
        log.printf("%-22s %22s %22s %22s%n", "RSS", mib(rssStart), mib(rssDuring), mib(rssAfter));
        log.printf("flood %s steps/s (a message and a broadcast each); messages relayed %s, stored %s, refused (quota) %s;"
                + " closed as slow-consumer in %d of %d runs (seen by step %s: the first sample after the close)%n",
                Stats.fmt(rate), Stats.fmt(stat(runs, Run::relayed)), Stats.fmt(stat(runs, Run::stored)),
                Stats.fmt(stat(runs, Run::refused)), closed, runs.size(), Stats.fmt(stat(runs, Run::closedSeenByStep)));
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("messages", o.stallMessages());
        section.put("payloadBytes", PAYLOAD);
        section.put("heapAfterGcBytes", Map.of("before", heapStart, "duringHighest", heapDuring, "after", heapAfter));
        section.put("rssBytes", Map.of("before", rssStart, "duringHighest", rssDuring, "after", rssAfter));
        section.put("stepsPerSecond", rate);
        section.put("runsClosedAsSlowConsumer", closed);
        section.put("runs", runs);
        return section;
    }

    private static Run once(BenchOptions o) throws Exception {
        Path work = Files.createTempDirectory("parley-bench-stall");
        try {
            Path credentials = Files.writeString(work.resolve("credentials"),
                    FLOODER + " " + NodeCluster.password(FLOODER) + "\n" + STALLED + " " + NodeCluster.password(STALLED) + "\n");
            // Cheap hashes: logins are not what this figure measures.
            try (Rendezvous server = Rendezvous.start(o.serverJar(), work.resolve("server"), credentials,
                    List.of("--hash-memory", "1024", "--hash-iterations", "1"))) {
                return flood(server, o.stallMessages());
            }
        } finally {
            Scratch.deleteDirectory(work);
        }
    }

    private static Run flood(Rendezvous server, int messages) throws Exception {
        ProcessProbe probe = new ProcessProbe(server.process.pid());
        String metrics = server.process.metricsUrl() + "/q/metrics";
        HttpClient plain = HttpClient.newBuilder().connectTimeout(ParleyWire.TIMEOUT).build();
        double closedBefore = slowConsumers(plain, metrics);
        Semaphore window = new Semaphore(WINDOW);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger relayed = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        try (StalledSession stalled = StalledSession.open(server.port, STALLED, NodeCluster.password(STALLED))) {
            HttpClient http = ParleyWire.http();
            String token = ParleyWire.login(http, server.port, FLOODER, NodeCluster.password(FLOODER))
                    .get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<Void> welcomed = new CompletableFuture<>();
            SessionSocket flooder = ParleyWire.open(http, server.port, token, m -> {
                if (m instanceof ServerMessage.Welcome) {
                    welcomed.complete(null);
                } else if (m instanceof ServerMessage.Sent s) {
                    (s.via() == ServerMessage.Via.relay ? relayed : stored).incrementAndGet();
                    answered.incrementAndGet();
                    window.release();
                } else if (m instanceof ServerMessage.Ok) {
                    answered.incrementAndGet(); // a broadcast
                    window.release();
                } else if (m instanceof ServerMessage.Error e && e.code() == ErrorCode.QUOTA) {
                    refused.incrementAndGet(); // the relay's bound on what waits for the stalled user
                    answered.incrementAndGet();
                    window.release();
                } else if (m instanceof ServerMessage.Error e) {
                    failure.compareAndSet(null, "the server refused a request: " + e.message());
                    window.release(WINDOW);
                }
            }).get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            try {
                welcomed.get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                long heapStart = probe.heapAfterGcBytes();
                long rssStart = probe.rssBytes();
                long heapDuring = 0;
                long rssDuring = 0;
                int closedAt = 0; // the first sample at which the stalled session was found closed
                String text = "x".repeat(PAYLOAD);
                String prefix = "s" + Long.toHexString(System.nanoTime()) + "-";
                long t0 = System.nanoTime();
                for (int i = 1; i <= messages; i++) {
                    if (!window.tryAcquire(2, LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("stall: the server answered " + answered.get() + " of "
                                + 2 * (i - 1) + " requests; none more within " + LIMIT);
                    }
                    if (failure.get() != null) {
                        throw new IllegalStateException("stall: " + failure.get());
                    }
                    flooder.send(new ClientMessage.Send(null, STALLED, text, prefix + i));
                    flooder.send(new ClientMessage.Broadcast(null, text));
                    // During: at a tenth (for the default size, before the broadcasts reach the bound), a
                    // third and two thirds of the flood; a full GC each, so not more often.
                    if (i == Math.max(1, messages / 10) || i == Math.max(1, messages / 3) || i == Math.max(1, 2 * messages / 3)) {
                        heapDuring = Math.max(heapDuring, probe.heapAfterGcBytes());
                        rssDuring = Math.max(rssDuring, probe.rssBytes());
                        if (closedAt == 0 && slowConsumers(plain, metrics) > closedBefore) {
                            closedAt = i;
                        }
                    }
                }
                if (!window.tryAcquire(WINDOW, LIMIT.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
                    throw new IllegalStateException("stall: " + (failure.get() != null ? failure.get()
                            : answered.get() + " of " + 2 * messages + " requests answered within " + LIMIT));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                boolean closed = closedAt > 0 || awaitSlowConsumer(plain, metrics, closedBefore);
                if (closed && closedAt == 0) {
                    closedAt = messages;
                }
                return new Run(heapStart, heapDuring, probe.heapAfterGcBytes(), rssStart, rssDuring, probe.rssBytes(),
                        messages / seconds, relayed.get(), stored.get(), refused.get(), closed, closedAt);
            } finally {
                flooder.close();
            }
        }
    }

    /** Whether the server counts one more slow-consumer close than before, waiting a little for it. */
    private static boolean awaitSlowConsumer(HttpClient http, String metrics, double before) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            if (slowConsumers(http, metrics) > before) {
                return true;
            }
            Thread.sleep(100); // polling the server's counter: there is no event to wait on from outside
        } while (System.nanoTime() < end);
        return false;
    }

    /** {@code parley_sessions_closed_total{reason="slow-consumer"}} from the server's metrics. */
    private static double slowConsumers(HttpClient http, String metrics) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(metrics)).timeout(ParleyWire.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith("parley_sessions_closed_total{") && l.contains("reason=\"slow-consumer\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static Stats stat(List<Run> runs, ToLongFunction<Run> field) {
        return Stats.of(runs.stream().map(r -> (double) field.applyAsLong(r)).toList());
    }

    private static String mib(Stats s) {
        return String.format("%.1f [%.1f-%.1f]", s.median() / (1 << 20), s.min() / (1 << 20), s.max() / (1 << 20));
    }
}
