package dev.parley.node.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.output.LineOutput;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable record of shown messages: survives a restart, a torn or damaged file, and stays bounded. */
class ShownMessagesTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> shown = new CopyOnWriteArrayList<>();
    /** Acknowledgements come from the thread that forces the file. */
    private final List<String> acked = new CopyOnWriteArrayList<>();

    private Path file() {
        return dir.resolve("shown").resolve("bob.log");
    }

    private ShownMessages open(int window) {
        return ShownMessages.open(file(), window, warnings::add);
    }

    private void deliver(ShownMessages record, String from, String id) {
        record.showOnce(from, id, () -> shown.add(from + ":" + id), () -> acked.add(id));
    }

    @Test
    void settledCompletesOnlyOnceEveryAcknowledgementSoFarWasHandedOn() throws Exception {
        try (ShownMessages record = open(100)) {
            for (int round = 1; round <= 20; round++) {
                for (int i = 0; i < 5; i++) {
                    deliver(record, "alice", "m" + round + "-" + i);
                }
                record.settled().get(10, TimeUnit.SECONDS);
                assertEquals(5 * round, acked.size(), "a logout waiting for settled() finds every acknowledgement out");
            }
        }
    }

    @Test
    void whatWasShownIsNotShownAgainAfterARestartButIsAcknowledgedAgain() {
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", "m1");
            deliver(record, "alice", "m2");
            deliver(record, "Alice", "m2"); // usernames are case-insensitive
        }
        assertEquals(List.of("alice:m1", "alice:m2"), shown);
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", "m2"); // the server sends again what it did not see acknowledged
            deliver(record, "alice", "m3");
            deliver(record, "carol", "m1"); // another sender's id is another message
        }
        assertEquals(List.of("alice:m1", "alice:m2", "alice:m3", "carol:m1"), shown);
        assertEquals(List.of("m1", "m2", "m2", "m2", "m3", "m1"), acked, "every copy is acknowledged, the repeats too");
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void theFileIsOwnerOnly() throws IOException {
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", "m1");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())));
    }

    @Test
    void aLineCutShortByACrashIsSkippedWithAWarningAndTheRestKept() throws IOException {
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", "m1");
            deliver(record, "alice", "m2");
        }
        byte[] whole = Files.readAllBytes(file());
        // A crash in the middle of writing a third line: half of it, no newline.
        Files.write(file(), "0badc0de alice m3-half".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (ShownMessages record = open(100)) {
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("unfinished last line") && warnings.get(0).contains(file().toString()),
                    warnings.get(0));
            deliver(record, "alice", "m1");
            deliver(record, "alice", "m3");
        }
        assertEquals(List.of("alice:m1", "alice:m2", "alice:m3"), shown, "m1 is still known; m3 was never recorded");
        assertTrue(new String(Files.readAllBytes(file()), StandardCharsets.UTF_8).startsWith(new String(whole, StandardCharsets.UTF_8)),
                "the torn line was dropped, not glued to the next one");
        warnings.clear();
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", "m3");
        }
        assertTrue(warnings.isEmpty(), "repaired: " + warnings);
        assertEquals(3, shown.size());
    }

    @Test
    void damagedLinesAndGarbageAreSkippedWithOneWarningNeverAFailure() throws IOException {
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", "m1");
        }
        String good = Files.readString(file());
        byte[] garbage = new byte[3000];
        new java.util.Random(8).nextBytes(garbage);
        String flipped = good.replace("alice", "alicf"); // right shape, wrong checksum
        Files.write(file(), (flipped + "no checksum here\n").getBytes(StandardCharsets.UTF_8));
        Files.write(file(), garbage, StandardOpenOption.APPEND);
        Files.write(file(), ("\n" + good).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (ShownMessages record = open(100)) {
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("unreadable line"), warnings.get(0));
            deliver(record, "alice", "m1");
            deliver(record, "alicf", "m1");
        }
        assertEquals(List.of("alice:m1", "alicf:m1"), shown, "the good line still counts; the forged one does not");
    }

    @Test
    void aRecordThatCannotBeReadOrWrittenIsAWarningAndTheNodeGoesOn() throws IOException {
        Files.createDirectories(file()); // a directory where the file should be
        try (ShownMessages record = open(100)) {
            assertFalse(warnings.isEmpty());
            assertTrue(warnings.stream().allMatch(w -> w.contains(file().toString())), warnings.toString());
            deliver(record, "alice", "m1");
            deliver(record, "alice", "m1");
        }
        assertEquals(List.of("alice:m1"), shown, "still shown once while it runs");
        assertEquals(List.of("m1", "m1"), acked);
    }

    @Test
    void oddIdsAreEscapedAndOneTooLongToReadBackIsKeptInMemoryOnly() {
        String odd = "id with spaces\nand a newline";
        String huge = "x".repeat(5000);
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", odd);
            deliver(record, "alice", huge);
            deliver(record, "alice", huge);
        }
        try (ShownMessages record = open(100)) {
            deliver(record, "alice", odd);
        }
        assertTrue(warnings.isEmpty(), "the file stays readable: " + warnings);
        assertEquals(List.of("alice:" + odd, "alice:" + huge), shown);
    }

    @Test
    void theFileStaysBoundedAndKeepsTheNewestKeys() throws IOException {
        int window = 10;
        try (ShownMessages record = open(window)) {
            for (int i = 1; i <= 95; i++) {
                deliver(record, "alice", "m" + i);
                assertTrue(Files.readAllLines(file()).size() <= 2 * window, "rewritten once past twice the window");
            }
        }
        shown.clear();
        try (ShownMessages record = open(window)) {
            for (int i = 95; i >= 80; i--) {
                deliver(record, "alice", "m" + i);
            }
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
        List<String> again = shown.stream().map(s -> s.substring("alice:m".length())).toList();
        assertEquals(List.of("85", "84", "83", "82", "81", "80"), again, "the newest ten (86-95) are remembered");
    }

    @Test
    void theOutputIsFlushedThenRecordedThenAcknowledgedOnTheEventLoop() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        Path file = file();
        OutputStream terminal = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                if (size() > 0) {
                    order.add("flushed; recorded already: " + recorded(file, "m1"));
                    reset();
                }
            }
        };
        LineOutput output = new LineOutput(new PrintStream(terminal, false, StandardCharsets.UTF_8));
        Vertx vertx = Vertx.vertx();
        try (ShownMessages record = open(100)) {
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            vertx.runOnContext(v -> record.showOnce("alice", "m1", () -> {
                output.println("alice: hi");
                output.flush();
            }, () -> {
                order.add("acknowledged " + (Vertx.currentContext() != null ? "on the loop" : "elsewhere")
                        + "; recorded: " + recorded(file, "m1"));
                acknowledged.complete(null);
            }));
            acknowledged.get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("flushed; recorded already: false", "acknowledged on the loop; recorded: true"), order);
    }

    private static boolean recorded(Path file, String id) {
        try {
            return Files.exists(file) && Files.readString(file).contains(" " + id + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
