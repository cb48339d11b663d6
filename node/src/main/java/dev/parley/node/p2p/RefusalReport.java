package dev.parley.node.p2p;

import dev.parley.node.time.NodeClock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Tells the user about refused connections without letting a flood of them flood the output:
 * the first {@value #SHOWN_PER_WINDOW} in a {@link #WINDOW} are reported one by one, the rest only
 * counted, and one line at the window's end says how many more there were.
 */
final class RefusalReport {
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final int SHOWN_PER_WINDOW = 5;

    private final Consumer<String> out;
    private final NodeClock clock;
    private boolean windowOpen;
    private int shown;
    private int more;

    RefusalReport(Consumer<String> out, NodeClock clock) {
        this.out = out;
        this.clock = clock;
    }

    void refused(String why) {
        boolean show;
        boolean opened = false;
        synchronized (this) {
            if (!windowOpen) {
                windowOpen = true;
                opened = true;
                shown = 0;
                more = 0;
            }
            show = shown < SHOWN_PER_WINDOW;
            if (show) {
                shown++;
            } else {
                more++;
            }
        }
        if (opened) {
            clock.schedule(WINDOW, this::windowEnds);
        }
        if (show) {
            out.accept(why);
        }
    }

    private void windowEnds() {
        int count;
        synchronized (this) {
            count = more;
            windowOpen = false;
        }
        if (count > 0) {
            out.accept(count + " more refused connection" + (count == 1 ? "" : "s") + " in the last " + WINDOW.toSeconds() + " s");
        }
    }
}
