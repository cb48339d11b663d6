package dev.parley.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 4: delivering N stored messages at login, on the embedded H2 and on PostgreSQL, against
 * relaying the same N to the receiver while online (same server, same database, same round).
 */
final class DrainFigure {
    static final int PAYLOAD = 64;

    private DrainFigure() {
    }

    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        int n = o.drainMessages();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        rows.add(database("h2", List.of(), o, log));
        String noPostgres = PostgresCluster.unavailable();
        if (noPostgres != null) {
            log.println("drain: PostgreSQL skipped: " + noPostgres);
            skipped.add("postgresql: " + noPostgres);
        } else {
            try (PostgresCluster pg = new PostgresCluster()) {
                rows.add(database("postgresql", pg.serverOptions(), o, log));
            }
        }
        log.println();
        log.printf("Figure 4: %d stored messages (%d B) drained at login, against relaying them live (seconds, median [min-max])%n",
                n, PAYLOAD);
        log.printf("%-11s %24s %24s %24s %24s %12s%n", "database", "live relay (baseline)", "store while offline",
                "drain to receiver", "drain, all receipts", "drain/live");
        for (Map<String, Object> row : rows) {
            log.printf("%-11s %24s %24s %24s %24s %12.2f%n", row.get("database"), secs((Stats) row.get("liveRelaySeconds")),
                    secs((Stats) row.get("storeSeconds")), secs((Stats) row.get("drainSeconds")),
                    secs((Stats) row.get("drainAllReceiptsSeconds")), (Double) row.get("drainRatioToLiveRelay"));
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("messages", n);
        section.put("payloadBytes", PAYLOAD);
        section.put("databases", rows);
        section.put("skipped", skipped);
        return section;
    }

    private static Map<String, Object> database(String name, List<String> serverOptions, BenchOptions o, PrintStream log)
            throws Exception {
        List<Double> live = new ArrayList<>();
        List<Double> store = new ArrayList<>();
        List<Double> drain = new ArrayList<>();
        List<Double> acked = new ArrayList<>();
        try (DrainBench bench = new DrainBench(o.serverJar(), serverOptions, PAYLOAD)) {
            for (int r = 0; r < o.runs(); r++) {
                log.printf("drain on %s: run %d of %d …%n", name, r + 1, o.runs());
                DrainBench.Round round = bench.round(o.drainMessages());
                live.add(round.liveSeconds());
                store.add(round.storeSeconds());
                drain.add(round.drainSeconds());
                acked.add(round.drainAckedSeconds());
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("database", name);
        row.put("liveRelaySeconds", Stats.of(live));
        row.put("storeSeconds", Stats.of(store));
        row.put("drainSeconds", Stats.of(drain));
        row.put("drainAllReceiptsSeconds", Stats.of(acked));
        row.put("drainMessagesPerSecond", o.drainMessages() / Stats.of(drain).median());
        row.put("drainRatioToLiveRelay", Stats.of(drain).median() / Stats.of(live).median());
        return row;
    }

    private static String secs(Stats s) {
        return String.format("%.2f [%.2f-%.2f]", s.median(), s.min(), s.max());
    }
}
