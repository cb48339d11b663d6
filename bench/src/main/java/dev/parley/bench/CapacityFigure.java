package dev.parley.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 3: what one rendezvous instance holds. One server, sessions grown in steps (by default
 * 1,000 / 5,000 / 10,000; up to 50,000 where the machine allows, see {@link SystemLimits}); at each
 * step, {@code runs} repeated measurements. The baseline is the same server with no session open,
 * measured first in the same run: memory per session is the growth over it, and the last column
 * scales it to the target's 50,000 sessions.
 */
final class CapacityFigure {
    /** The target: 50,000 sessions in under 1 GiB of heap. */
    static final double TARGET_HEAP_BYTES = 1024.0 * 1024 * 1024;
    static final int TARGET_SESSIONS = 50_000;

    private CapacityFigure() {
    }

    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        List<Integer> levels = o.sessions();
        Duration idle = Duration.ofSeconds(o.idleSeconds());
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> section = new LinkedHashMap<>();
        log.printf("capacity: one server, up to %d sessions …%n", levels.get(levels.size() - 1));
        try (CapacityBench bench = new CapacityBench(o.serverJar(), levels.get(levels.size() - 1))) {
            Sample base = sample(bench, o.runs(), idle, false);
            section.put("baselineNoSessions", base.toMap());
            for (int level : levels) {
                double growSeconds = bench.growTo(level);
                log.printf("capacity: %d sessions open (%.0f logins+sessions/s)%n", level, (level - 0.0) / growSeconds);
                Sample s = sample(bench, o.runs(), idle, true);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("sessions", level);
                row.put("growSeconds", growSeconds);
                row.putAll(s.toMap());
                row.put("heapBytesPerSession", (s.heap.median() - base.heap.median()) / level);
                row.put("rssBytesPerSession", (s.rss.median() - base.rss.median()) / level);
                row.put("heapRatioToTargetScaledTo50k",
                        (base.heap.median() + (s.heap.median() - base.heap.median()) * (double) TARGET_SESSIONS / level)
                                / TARGET_HEAP_BYTES);
                rows.add(row);
            }
        }
        section.put("levels", rows);
        print(log, section);
        return section;
    }

    /** One step's measurements, each repeated {@code runs} times. */
    private record Sample(Stats heap, Stats rss, Stats idleCpuPercent, Stats loginNoticeMillis) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("heapAfterGcBytes", heap);
            m.put("rssBytes", rss);
            m.put("idleCpuPercentOfOneCore", idleCpuPercent);
            if (loginNoticeMillis != null) {
                m.put("loginNoticeToAllMillis", loginNoticeMillis);
            }
            return m;
        }
    }

    private static Sample sample(CapacityBench bench, int runs, Duration idle, boolean fanOut) throws Exception {
        List<Double> heap = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> notice = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            if (fanOut) {
                notice.add(bench.loginNoticeMillis());
            }
            heap.add((double) bench.probe.heapAfterGcBytes());
            rss.add((double) bench.probe.rssBytes());
            cpu.add(bench.idleCpuPercent(idle));
        }
        return new Sample(Stats.of(heap), Stats.of(rss), Stats.of(cpu), fanOut ? Stats.of(notice) : null);
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintStream log, Map<String, Object> section) {
        log.println();
        log.println("Figure 3: capacity of one server (median [min-max] of repeated measurements at each size)");
        log.printf("%-9s %20s %12s %20s %12s %18s %22s %10s%n", "sessions", "heap MiB after GC", "heap/sess", "RSS MiB",
                "RSS/sess", "idle CPU % of core", "login notice to all ms", "heap@50k/1GiB");
        Map<String, Object> base = (Map<String, Object>) section.get("baselineNoSessions");
        log.printf("%-9s %20s %12s %20s %12s %18s %22s %10s%n", "0 (base)", mib((Stats) base.get("heapAfterGcBytes")), "",
                mib((Stats) base.get("rssBytes")), "", pct((Stats) base.get("idleCpuPercentOfOneCore")), "", "");
        for (Map<String, Object> row : (List<Map<String, Object>>) section.get("levels")) {
            log.printf("%-9d %20s %12s %20s %12s %18s %22s %10.2f%n", (Integer) row.get("sessions"),
                    mib((Stats) row.get("heapAfterGcBytes")), kib((Double) row.get("heapBytesPerSession")),
                    mib((Stats) row.get("rssBytes")), kib((Double) row.get("rssBytesPerSession")),
                    pct((Stats) row.get("idleCpuPercentOfOneCore")), Stats.fmt((Stats) row.get("loginNoticeToAllMillis")),
                    (Double) row.get("heapRatioToTargetScaledTo50k"));
        }
    }

    private static String mib(Stats s) {
        double m = 1024 * 1024;
        return String.format("%.0f [%.0f-%.0f]", s.median() / m, s.min() / m, s.max() / m);
    }

    private static String kib(double bytes) {
        return String.format("%.1f KiB", bytes / 1024);
    }

    private static String pct(Stats s) {
        return String.format("%.1f [%.1f-%.1f]", s.median(), s.min(), s.max());
    }
}
