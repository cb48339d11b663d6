package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.node.time.ManualNodeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flood of refusals prints a few lines and one summary per window, not a line each. */
class RefusalReportTest {
    private final List<String> lines = new ArrayList<>();
    private final ManualNodeClock clock = new ManualNodeClock();
    private final RefusalReport report = new RefusalReport(lines::add, clock);

    @Test
    void theFirstFewAreShownAndTheRestSummedUp() {
        for (int i = 1; i <= 500; i++) {
            report.refused("refused #" + i);
        }
        assertEquals(List.of("refused #1", "refused #2", "refused #3", "refused #4", "refused #5"), lines);
        assertEquals(1, clock.manual().pendingTimers(), "one window");
        clock.advance(RefusalReport.WINDOW.minusNanos(1));
        assertEquals(5, lines.size(), "the window is not over yet");
        clock.advance(Duration.ofNanos(1));
        assertEquals("495 more refused connections in the last 10 s", lines.get(5));

        report.refused("refused #501");
        assertEquals("refused #501", lines.get(6), "a new window shows lines again");
        clock.advance(RefusalReport.WINDOW);
        assertEquals(7, lines.size(), "nothing to sum up");
    }
}
