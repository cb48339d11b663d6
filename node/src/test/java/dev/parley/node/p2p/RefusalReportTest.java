package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flood of refusals prints a few lines and one summary per window, not a line each. */
class RefusalReportTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final RefusalReport report = new RefusalReport(lines::add, (delay, task) -> {
        assertEquals(RefusalReport.WINDOW, delay);
        timers.add(task);
    });

    @Test
    void theFirstFewAreShownAndTheRestSummedUp() {
        for (int i = 1; i <= 500; i++) {
            report.refused("refused #" + i);
        }
        assertEquals(List.of("refused #1", "refused #2", "refused #3", "refused #4", "refused #5"), lines);
        assertEquals(1, timers.size(), "one window");
        timers.remove(0).run();
        assertEquals("495 more refused connections in the last 10 s", lines.get(5));

        report.refused("refused #501");
        assertEquals("refused #501", lines.get(6), "a new window shows lines again");
        timers.remove(0).run();
        assertEquals(7, lines.size(), "nothing to sum up");
    }
}
