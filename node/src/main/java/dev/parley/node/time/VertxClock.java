package dev.parley.node.time;

import io.vertx.core.Vertx;
import java.time.Duration;

/** {@link NodeClock} on {@link System#nanoTime()} and Vert.x timers. */
final class VertxClock implements NodeClock {
    private final Vertx vertx;

    VertxClock(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delay.toMillis()), x -> task.run());
        return () -> vertx.cancelTimer(id);
    }
}
