package dev.parley.node.time;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Time as the node's timing logic sees it: a monotonic clock and one-shot timers. Backoff, the
 * router's hold on direct traffic, silence limits and retry delays take it injected, so their
 * timing is unit-tested with a manual clock instead of waited for.
 */
public interface NodeClock {
    /** Monotonic nanoseconds; only differences mean something. */
    long nanoTime();

    /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run. */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task. */
    interface Timer {
        void cancel();
    }

    /** Real time, with Vert.x timers (tasks run on an event loop). */
    static NodeClock of(Vertx vertx) {
        return new VertxClock(vertx);
    }

    /**
     * Real time without Vert.x, for what is built before the node's Vert.x exists (the message
     * router, made with the node): timers run on a JDK thread, not on an event loop.
     */
    static NodeClock system() {
        return SystemClock.INSTANCE;
    }
}
