package dev.parley.node.time;

import dev.parley.testsupport.ManualClock;
import java.time.Duration;

/** The tests' {@link ManualClock} as the node's clock: time and timers move only when a test advances it. */
public final class ManualNodeClock implements NodeClock {
    private final ManualClock clock;

    public ManualNodeClock(ManualClock clock) {
        this.clock = clock;
    }

    public ManualNodeClock() {
        this(new ManualClock());
    }

    public ManualClock manual() {
        return clock;
    }

    public void advance(Duration by) {
        clock.advance(by);
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return clock.schedule(delay, task)::cancel;
    }
}
