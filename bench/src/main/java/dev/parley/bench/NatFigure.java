package dev.parley.bench;

import dev.parley.testsupport.nat.NatLab;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 7: direct links through NATs, in the NAT lab (root only; skipped, saying why, where it
 * cannot be built). {@code --nat-trials} trials per pairing, the pairings interleaved (each round
 * starts with a different one); per pairing and phase: how often the link came up direct and how,
 * the time to it (median and p95 of the direct ones), the attempts it took, and whether every
 * message then arrived exactly once. Targets (issue 11): 100% direct for cone/cone and same-router
 * pairs with p95 under 2 s; 100% delivery through the relay for pairs with a symmetric NAT.
 */
final class NatFigure {
    /** How many routers one lab holds (NatLab's limit); every trial takes fresh ones. */
    static final int LAB_ROUTERS = 200;
    static final double TARGET_P95_MILLIS = 2000;

    private NatFigure() {
    }

    /** Routers a run of {@code trials} trials of each pairing needs. */
    static int routersNeeded(List<NatPairing> pairings, int trials) {
        return trials * pairings.stream().mapToInt(NatPairing::routers).sum();
    }

    /** Returns the report section {@code nat}: rows per pairing and phase, every trial, and why it was skipped if it was. */
    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("trialsPerPairing", o.natTrials());
        section.put("waitSeconds", o.natWaitSeconds());
        section.put("messagesPerPhase", NatBench.MESSAGES);
        NatLab.Availability here = NatLab.available();
        if (!here.available()) {
            String why = here.reason() + " (the lab needs root and iproute2, iptables, conntrack)";
            log.println("nat: skipped: " + why);
            section.put("skipped", why);
            return section;
        }
        List<NatPairing> pairings = o.natPairings();
        List<String> users = new ArrayList<>();
        for (int t = 1; t <= o.natTrials(); t++) {
            for (NatPairing p : pairings) {
                users.addAll(NatBench.users(p, t));
            }
        }
        List<NatTrial> trials = new ArrayList<>();
        try (NatBench bench = new NatBench(o.serverJar(), o.nodeJar(), users, Duration.ofSeconds(o.natWaitSeconds()))) {
            for (int t = 1; t <= o.natTrials(); t++) {
                for (int i = 0; i < pairings.size(); i++) {
                    // A different pairing first each round, so drift does not always favour the same one.
                    NatPairing p = pairings.get((i + t - 1) % pairings.size());
                    log.printf("nat: trial %d of %d, %s …%n", t, o.natTrials(), p.label);
                    for (NatTrial trial : bench.trial(p, t)) {
                        trials.add(trial);
                        if (trial.note() != null || trial.error() != null) {
                            log.printf("nat: %s trial %d (%s) was odd: %s%n%s", p.label, t, trial.phase(),
                                    trial.error() != null ? trial.error() : "see its events", trial.note() != null ? trial.note() : "");
                        }
                    }
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NatPairing p : pairings) {
            for (String phase : List.of(NatTrial.CONSENT, NatTrial.CONTACT)) {
                rows.add(row(p, phase, trials.stream().filter(t -> t.pairing().equals(p.label) && t.phase().equals(phase)).toList()));
            }
        }
        print(rows, o, log);
        section.put("rows", rows);
        section.put("trials", trials);
        return section;
    }

    private static Map<String, Object> row(NatPairing pairing, String phase, List<NatTrial> trials) {
        List<NatTrial> direct = trials.stream().filter(NatTrial::direct).toList();
        List<Double> millis = direct.stream().map(NatTrial::millisToLink).toList();
        List<Double> failures = trials.stream().filter(t -> t.error() == null).map(t -> (double) t.failuresBeforeLink()).toList();
        List<Double> syns = trials.stream().filter(t -> t.error() == null).map(t -> (double) t.syns()).toList();
        int sent = trials.stream().mapToInt(NatTrial::sent).sum();
        int once = trials.stream().mapToInt(NatTrial::deliveredOnce).sum();
        Map<String, Long> how = new LinkedHashMap<>();
        direct.forEach(t -> how.merge(t.how(), 1L, Long::sum));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pairing", pairing.label);
        row.put("phase", phase);
        row.put("trials", trials.size());
        row.put("broken", trials.stream().filter(t -> t.error() != null).count());
        row.put("direct", direct.size());
        row.put("how", how);
        row.put("millisToLinkMedian", millis.isEmpty() ? null : Stats.percentile(millis, 50));
        row.put("millisToLinkP95", millis.isEmpty() ? null : Stats.percentile(millis, 95));
        row.put("millisToLinkMax", millis.isEmpty() ? null : Stats.percentile(millis, 100));
        row.put("failuresBeforeLink", failures.isEmpty() ? null : Stats.of(failures));
        row.put("syns", syns.isEmpty() ? null : Stats.of(syns));
        row.put("messagesSent", trials.size() * NatBench.MESSAGES);
        row.put("messagesConfirmed", sent);
        row.put("deliveredExactlyOnce", once);
        row.put("viaDirect", trials.stream().mapToInt(NatTrial::viaDirect).sum());
        row.put("allInOrder", trials.stream().allMatch(NatTrial::inOrder));
        row.put("target", target(pairing, trials.size(), direct.size(), millis, once));
        return row;
    }

    /** The target for the pairing, and whether these trials meet it. */
    private static String target(NatPairing pairing, int trials, int direct, List<Double> millis, int once) {
        boolean delivered = once == trials * NatBench.MESSAGES;
        if (pairing.directTarget) {
            boolean met = trials > 0 && direct == trials && Stats.percentile(millis, 95) < TARGET_P95_MILLIS && delivered;
            return (met ? "met" : "missed") + ": 100% direct, p95 < 2 s";
        }
        return (trials > 0 && delivered ? "met" : "missed") + ": 100% delivered";
    }

    private static void print(List<Map<String, Object>> rows, BenchOptions o, PrintStream log) {
        log.println();
        log.printf("Figure 7: direct links through NATs, %d trials per pairing; time from consent (or from the contact's"
                + " login) to link-up, given up after %d s; %d messages per phase%n", o.natTrials(), o.natWaitSeconds(),
                NatBench.MESSAGES);
        log.printf("%-20s %-8s %8s %-16s %9s %9s %12s %14s %15s %9s  %s%n", "pairing", "after", "direct", "how",
                "ms p50", "ms p95", "failed [max]", "SYNs p50 [max]", "delivered once", "direct", "target");
        for (Map<String, Object> r : rows) {
            Stats failures = (Stats) r.get("failuresBeforeLink");
            Stats syns = (Stats) r.get("syns");
            log.printf("%-20s %-8s %8s %-16s %9s %9s %12s %14s %15s %9s  %s%n", r.get("pairing"), r.get("phase"),
                    r.get("direct") + "/" + r.get("trials"), r.get("how"), millis(r.get("millisToLinkMedian")),
                    millis(r.get("millisToLinkP95")),
                    failures == null ? "-" : String.format("%.0f [%.0f]", failures.median(), failures.max()),
                    syns == null ? "-" : String.format("%.0f [%.0f]", syns.median(), syns.max()),
                    r.get("deliveredExactlyOnce") + "/" + r.get("messagesSent"),
                    r.get("viaDirect") + "/" + r.get("messagesSent"), r.get("target"));
        }
    }

    private static String millis(Object value) {
        return value == null ? "-" : String.format("%.0f", (Double) value);
    }
}
