package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.nat.NatLab;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness itself runs end to end with tiny sizes; the figures themselves are not judged here. */
class BenchSmokeTest {
    @Test
    @SuppressWarnings("unchecked")
    void theHarnessRunsWithTinySizes() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchOptions options = BenchOptions.parse(new String[] {"--runs", "1", "--messages", "5", "--sessions", "3,6",
                "--drain", "20", "--stall-messages", "20", "--idle-seconds", "1", "--nat-trials", "2", "--nat-pairings", "cone/cone,symmetric/symmetric",
                "--nat-wait", "3", "--server-jar", System.getProperty("parley.rendezvous.jar"),
                "--node-jar", System.getProperty("parley.node.jar")});
        Map<String, Object> report = BenchMain.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("directLink");
        assertEquals(8, rows.size(), "four subjects at two payload sizes");
        for (Map<String, Object> row : rows) {
            assertTrue(((Stats) row.get("messagesPerSecond")).median() > 0, row.toString());
        }
        assertEquals(List.of(64, 1024), rows.stream().filter(r -> r.get("subject").equals("direct-in-jvm"))
                .map(r -> r.get("payloadBytes")).toList(), "the in-process link at both sizes");
        Map<String, Object> login = (Map<String, Object>) report.get("login");
        assertTrue(((Stats) login.get("loginsPerSecond")).median() > 0, login.toString());
        Map<String, Object> capacity = (Map<String, Object>) report.get("capacity");
        List<Map<String, Object>> levels = (List<Map<String, Object>>) capacity.get("levels");
        assertEquals(List.of(3, 6), levels.stream().map(l -> l.get("sessions")).toList());
        for (Map<String, Object> level : levels) {
            assertTrue(((Stats) level.get("heapAfterGcBytes")).median() > 0, level.toString());
            assertTrue(((Stats) level.get("loginNoticeToAllMillis")).median() > 0, level.toString());
        }
        Map<String, Object> drain = (Map<String, Object>) report.get("drain");
        List<Map<String, Object>> databases = (List<Map<String, Object>>) drain.get("databases");
        // PostgreSQL is there whenever its binaries are (always in CI, which installs them).
        int expected = PostgresCluster.unavailable() == null || "true".equals(System.getenv("CI")) ? 2 : 1;
        assertEquals(expected, databases.size(), drain.toString());
        for (Map<String, Object> db : databases) {
            assertTrue(((Stats) db.get("drainSeconds")).median() > 0, db.toString());
        }
        List<Map<String, Object>> relay = (List<Map<String, Object>>) report.get("relay");
        for (String subject : RelayFigure.SUBJECTS) {
            for (int payload : RelayFigure.PAYLOADS) {
                Map<String, Object> row = relay.stream()
                        .filter(r -> r.get("subject").equals(subject) && r.get("payloadBytes").equals(payload))
                        .findFirst().orElseThrow(() -> new AssertionError("no relay row for " + subject + " at " + payload + " B"));
                assertTrue(((Stats) row.get("messagesPerSecond")).median() > 0, row.toString());
            }
        }
        // Mosquitto's own clients are there whenever their binaries are (always in CI, which installs them).
        if (MosquittoClients.unavailable().isEmpty() || "true".equals(System.getenv("CI"))) {
            for (String subject : List.of(RelayFigure.CLIENTS_TLS, RelayFigure.CLIENTS_PLAIN)) {
                for (int payload : RelayFigure.PAYLOADS) {
                    Map<String, Object> row = relay.stream()
                            .filter(r -> r.get("subject").equals(subject) && r.get("payloadBytes").equals(payload))
                            .findFirst().orElseThrow(() -> new AssertionError("no relay row for " + subject + " at " + payload + " B"));
                    assertTrue(((Stats) row.get("messagesPerSecond")).median() > 0, row.toString());
                }
            }
        } else {
            System.out.println("BenchSmokeTest: Mosquitto's own clients were skipped: " + report.get("relayClientsSkipped"));
            assertTrue(report.get("relayClientsSkipped") != null, report.keySet().toString());
        }
        Map<String, Object> stall = (Map<String, Object>) report.get("stall");
        Map<String, Stats> heap = (Map<String, Stats>) stall.get("heapAfterGcBytes");
        Map<String, Stats> rss = (Map<String, Stats>) stall.get("rssBytes");
        for (String when : List.of("before", "duringHighest", "after")) {
            assertTrue(heap.get(when).median() > 0 && rss.get(when).median() > 0, stall.toString());
        }
        Map<String, Object> nat = (Map<String, Object>) report.get("nat");
        // The NAT lab needs root; CI runs as root with the lab's tools installed, so there it must run.
        if (NatLab.available().available() || "true".equals(System.getenv("CI"))) {
            List<Map<String, Object>> natRows = (List<Map<String, Object>>) nat.get("rows");
            assertEquals(List.of("cone/cone", "cone/cone", "symmetric/symmetric", "symmetric/symmetric"),
                    natRows.stream().map(r -> r.get("pairing")).toList(), nat.toString());
            for (Map<String, Object> row : natRows) {
                assertEquals(2, row.get("trials"), row.toString());
                assertEquals(0L, row.get("broken"), "every trial ran to its end: " + nat.get("trials"));
                assertTrue((Integer) row.get("messagesConfirmed") > 0, row.toString());
            }
        } else {
            System.out.println("BenchSmokeTest: the nat figure was skipped: " + nat.get("skipped"));
            assertTrue(nat.get("skipped") != null, nat.toString());
        }
        String table = log.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("direct-link") && table.contains("direct-in-jvm") && table.contains("tls13-echo")
                && table.contains("start-up") && table.contains("Figure 2") && table.contains("mqtt-qos1")
                && table.contains("Figure 5") && table.contains("Figure 8")
                && table.contains("Figure 3") && table.contains("Figure 4"), table);
        assertTrue(nat.get("skipped") != null || table.contains("Figure 7"), table);
    }

    @Test
    void badOptionsAreOneLineErrors() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--sessions", "10,x"}));
        assertTrue(e.getMessage().contains("--sessions must be a number"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--only", "direct,warp"}));
        assertTrue(e.getMessage().contains("unknown figure 'warp'"), e.getMessage());
        assertEquals(List.of(5, 50), BenchOptions.parse(new String[] {"--sessions", "50,5"}).sessions());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--nat-pairings", "cone/cone,full-cone"}));
        assertTrue(e.getMessage().contains("unknown pairing 'full-cone'"), e.getMessage());
        // Every trial takes fresh routers: 7 a round with all four pairings, 200 in a lab.
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--nat-trials", "29"}));
        assertTrue(e.getMessage().contains("needs 203 routers"), e.getMessage());
        assertEquals(List.of(NatPairing.SAME_ROUTER), BenchOptions.parse(
                new String[] {"--nat-trials", "100", "--nat-pairings", "same-router,same-router"}).natPairings());
    }

    @Test
    void statsAreMedianMinMax() {
        assertEquals(new Stats(2, 1, 9), Stats.of(List.of(9.0, 1.0, 2.0)));
        assertEquals(new Stats(2.5, 1, 4), Stats.of(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(99.0, Stats.percentile(java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList(), 99));
    }
}
