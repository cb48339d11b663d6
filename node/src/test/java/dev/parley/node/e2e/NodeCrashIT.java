package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.ExitCode;
import dev.parley.testsupport.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crashes (SIGKILL) in the middle of traffic: of the server while a node sends a burst, and of a
 * receiving node while it shows a backlog. Counted at the receiver: nothing confirmed is lost,
 * nothing is shown twice. A server of its own, since one test kills it.
 */
class NodeCrashIT {
    static final int BURST = 300;
    static final int BACKLOG = 1500;
    /** The receiving node is killed once it has shown this many more messages. */
    static final int KILL_AFTER = 300;
    /** See NodeServerLifecycleIT: backoff plus a server start on a busy machine. */
    static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(75);
    static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(120);
    /** How long a scripted node may take to end after its input: its 60 s wait for answers, and a margin. */
    static final Duration DRAIN_AND_MARGIN = Duration.ofSeconds(90);

    /** 1,500 messages wait for one recipient from one sender: more than the default quota allows. */
    @RegisterExtension
    static final OwnServer own = OwnServer.seeding("kai", "kim", "nia", "ned")
            .with("--max-waiting-per-sender", "2000");
    @RegisterExtension
    final Nodes nodes = Nodes.on(own);

    /**
     * kai sends a burst to kim through a proxy that, from message 101 on, holds the server's
     * answers: the rest of the burst reaches the server and kim, but kai has no {@code sent} for
     * it when the server is killed. Every message must still reach kim exactly once, and kai
     * must end with each one confirmed, or reported by its id (then exit status 3).
     */
    @Test
    void serverKilledMidBurstEveryMessageArrivesOnceAndTheUnansweredAreSentAgain() throws Exception {
        int answeredFirst = 100;
        try (TcpProxy proxy = new TcpProxy(own.server().port, 0)) {
            NodeProcess kim = nodes.login("kim");
            NodeProcess kai = nodes.run("kai", List.of("--server", "https://127.0.0.1:" + proxy.port(),
                    "--trust-fingerprint", own.server().fingerprint, "--user", "kai", "--data-dir",
                    nodes.dataDir("kai").toString(), "--json"));
            kai.send(Nodes.password("kai"));
            kai.await("logged-in");

            kai.sendRaw(burst("kim", 1, answeredFirst));
            awaitCount(kai, o -> o.is("sent"), answeredFirst);
            proxy.holdAnswers();
            kai.sendRaw(burst("kim", answeredFirst + 1, BURST));
            // The server has taken (and pushed) at least half of the rest, without kai hearing of it.
            int kimShown = answeredFirst + (BURST - answeredFirst) / 2;
            awaitCount(kim, o -> o.is("message"), kimShown);

            own.server().kill();
            proxy.cut(); // the held answers die with the connection
            proxy.releaseAnswers();
            kai.await(o -> o.is("disconnected"), RECONNECT_TIMEOUT, "'disconnected'");
            own.restart();
            kai.await(o -> o.is("reconnected"), RECONNECT_TIMEOUT, "'reconnected'");
            var resent = kai.await("resent");
            assertTrue(Integer.parseInt(resent.field("count")) >= (BURST - answeredFirst) / 2, resent.toString());
            kai.closeInput();
            int status = kai.exitCode(DRAIN_AND_MARGIN);

            Set<String> confirmed = new HashSet<>();
            for (var o : kai.outputs()) {
                if (o.is("sent")) {
                    assertTrue(confirmed.add(o.field("id")), "one sent per message: " + o);
                }
            }
            Set<String> reported = new HashSet<>();
            for (var o : kai.outputs()) {
                if (o.is("error") && o.field("id") != null) {
                    assertTrue(o.field("message").contains(o.field("id")), "the error names the message: " + o);
                    reported.add(o.field("id"));
                }
            }
            assertEquals(BURST, confirmed.size() + reported.size(), "each message confirmed or reported: " + kai.transcript());
            assertEquals(reported.isEmpty() ? ExitCode.OK : ExitCode.UNANSWERED, status, kai.transcript());

            // kim: every confirmed message exactly once, by the id kai was told, and in order.
            awaitCount(kim, o -> o.is("message"), confirmed.size() - kimShown);
            kim.assertNone(o -> false, "nothing"); // a barrier: whatever the server pushed is printed by now
            Map<String, Integer> shown = new HashMap<>();
            List<String> texts = new ArrayList<>();
            for (var o : kim.outputs()) {
                if (o.is("message")) {
                    shown.merge(o.field("id"), 1, Integer::sum);
                    texts.add(o.field("text"));
                }
            }
            for (String id : confirmed) {
                assertEquals(1, shown.getOrDefault(id, 0), "message " + id + " shown once\n" + kim.transcript());
            }
            assertEquals(texts.stream().sorted().toList(), texts, "in the order sent");
        }
    }

    /**
     * ned has a backlog from nia and is killed (SIGKILL) after showing part of it, then started
     * again with the same data directory. Nothing may be lost; nothing may be shown twice, except
     * what the kill caught between printing and recording (the order is print, record,
     * acknowledge), which the test sees by reading ned's record after the kill. A kill that
     * catches nothing there ("clean") must happen at least once in a few rounds: it proves the
     * record, since the server sends again all that was not acknowledged.
     */
    @Test
    void receiverKilledMidBacklogShowsNothingTwiceAndLosesNothing() throws Exception {
        NodeProcess nia = nodes.login("nia");
        nia.sendRaw(burst("ned", 1, BACKLOG));
        awaitCount(nia, o -> o.is("sent") && "offline".equals(o.field("via")), BACKLOG);
        nia.closeInput();
        assertEquals(ExitCode.OK, nia.exitCode());
        Set<String> sent = new HashSet<>();
        nia.outputs().stream().filter(o -> o.is("sent")).forEach(o -> sent.add(o.field("id")));

        Path nedDir = nodes.dataDir("ned");
        Map<String, Integer> shown = new HashMap<>();
        Set<String> caughtByAKill = new HashSet<>();
        int cleanKills = 0;
        List<String> rounds = new ArrayList<>();
        for (int round = 1; round <= 3 && cleanKills == 0 && shown.size() < BACKLOG; round++) {
            NodeProcess ned = startNed(nedDir, round);
            int target = Math.min(KILL_AFTER, BACKLOG - shown.size());
            awaitCount(ned, o -> o.is("message") && !shown.containsKey(o.field("id")), target);
            ned.kill();
            Set<String> printed = messageIds(ned);
            Path recordFile = nedDir.resolve("shown").resolve("ned.log");
            String record = Files.exists(recordFile) ? Files.readString(recordFile, StandardCharsets.UTF_8) : "";
            Set<String> unrecorded = new HashSet<>();
            for (String id : printed) {
                if (!recorded(record, id)) {
                    unrecorded.add(id);
                }
            }
            // The node prints (and flushes) before it records: a recorded id it never printed would
            // be a message lost to its user (the server drops it on the acknowledgement).
            List<String> recordedNotPrinted = sent.stream()
                    .filter(id -> recorded(record, id) && !printed.contains(id) && !shown.containsKey(id))
                    .toList();
            assertEquals(List.of(), recordedNotPrinted, "recorded as shown by ned-" + round + " but never printed\n"
                    + ned.transcript());
            caughtByAKill.addAll(unrecorded);
            if (unrecorded.isEmpty()) {
                cleanKills++;
            }
            count(ned, shown);
            rounds.add("round " + round + ": printed " + printed.size() + ", unrecorded at the kill " + unrecorded.size());
        }
        System.out.println("[NodeCrashIT] " + rounds);
        assertTrue(cleanKills > 0, "no kill left ned's record complete: " + rounds);

        NodeProcess ned = startNed(nedDir, 0);
        awaitCount(ned, o -> o.is("message") && !shown.containsKey(o.field("id")), BACKLOG - shown.size());
        ned.assertNone(o -> false, "nothing"); // a barrier: what the server sent again is printed by now
        count(ned, shown);
        ned.closeInput();
        assertEquals(ExitCode.OK, ned.exitCode());

        assertEquals(sent, shown.keySet(), "nothing lost");
        for (var e : shown.entrySet()) {
            assertTrue(e.getValue() == 1 || caughtByAKill.contains(e.getKey()),
                    "message " + e.getKey() + " shown " + e.getValue() + " times, though recorded before the kill; " + rounds);
        }
    }

    private NodeProcess startNed(Path dataDir, int round) {
        NodeProcess ned = nodes.run("ned-" + round, List.of("--server", own.server().url(), "--trust-fingerprint",
                own.server().fingerprint, "--user", "ned", "--data-dir", dataDir.toString(), "--json"));
        ned.send(Nodes.password("ned"));
        return ned;
    }

    /** Whether the node's record of shown messages (one key per line, the id last) holds the id. */
    private static boolean recorded(String record, String id) {
        return record.contains(" " + id + "\n");
    }

    private static Set<String> messageIds(NodeProcess node) {
        Set<String> ids = new HashSet<>();
        node.outputs().stream().filter(o -> o.is("message")).forEach(o -> ids.add(o.field("id")));
        return ids;
    }

    private static void count(NodeProcess node, Map<String, Integer> shown) {
        node.outputs().stream().filter(o -> o.is("message")).forEach(o -> shown.merge(o.field("id"), 1, Integer::sum));
    }

    /** Lines {@code message to text} for messages first..last, written at once. */
    private static byte[] burst(String to, int first, int last) {
        StringBuilder lines = new StringBuilder();
        for (int i = first; i <= last; i++) {
            lines.append("message ").append(to).append(' ').append(text(i)).append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(int i) {
        return String.format("m%04d", i);
    }

    /** Waits for (and takes) {@code count} more lines matching, within the traffic deadline. */
    private static void awaitCount(NodeProcess node, Predicate<NodeProcess.Output> wanted, int count) {
        for (int i = 0; i < count; i++) {
            node.await(wanted, TRAFFIC_TIMEOUT, "line " + (i + 1) + " of " + count);
        }
    }
}
