package dev.parley.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    @Test
    void timeStandsStillUntilAdvancedAndTimersRunAtTheirOwnTimeInOrder() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(2), () -> ran.add("b@" + clock.nanoTime() / 1_000_000_000));
        clock.schedule(Duration.ofSeconds(1), () -> {
            ran.add("a@" + clock.nanoTime() / 1_000_000_000);
            clock.schedule(Duration.ofMillis(500), () -> ran.add("a2"));
        });
        ManualClock.Timer never = clock.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        never.cancel();

        assertEquals(0, clock.nanoTime());
        clock.advance(Duration.ofMillis(999));
        assertEquals(List.of(), ran);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("a@1", "a2", "b@2"), ran);
        assertEquals(Instant.parse("2026-01-01T00:00:05.999Z"), clock.instant());
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void aClockThatFollowsRealTimeAlsoMovesByItselfAndAdvanceAddsToIt() throws InterruptedException {
        ManualClock clock = new ManualClock(true) {
        };
        long before = System.currentTimeMillis();
        clock.advance(Duration.ofHours(1));
        long shown = clock.millis();
        assertTrue(shown >= before + 3_600_000 - 5 && shown <= System.currentTimeMillis() + 3_600_000 + 5, shown - before + " ms");
        long nanos = clock.nanoTime();
        long realStart = System.nanoTime();
        while (System.nanoTime() - realStart < 2_000_000) {
            Thread.onSpinWait(); // real time passing, as it does under a running server
        }
        assertTrue(clock.nanoTime() - nanos >= 2_000_000, "moved with real time");

        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofMinutes(5), () -> ran.add("due"));
        assertEquals(List.of(), ran, "timers wait for advance");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of("due"), ran);
    }
}
