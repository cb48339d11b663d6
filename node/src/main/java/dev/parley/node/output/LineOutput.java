package dev.parley.node.output;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.PrintStream;

/**
 * Whole lines to a stream, flushed once per Vert.x event-loop turn instead of once per line.
 *
 * <p>A burst of frames read in one turn (messages, receipts) prints many events; flushing each
 * one costs a write system call and wakes whoever reads our output once per line. So a line
 * printed on an event loop only schedules a flush on that loop: it runs as soon as the loop has
 * finished the I/O in hand (after the replies of that turn have gone out), never later, so no
 * line waits while the node is idle. A line printed on any other thread (the shell, a worker)
 * is flushed at once: nothing else would flush it. Thread-safe; lines never interleave.
 */
public final class LineOutput {
    private final PrintStream out;
    /** Guarded by {@code out}: a flush is queued on an event loop and has not run yet. */
    private boolean flushQueued;

    public LineOutput(PrintStream out) {
        this.out = out;
    }

    public void println(String line) {
        Context loop = Context.isOnEventLoopThread() ? Vertx.currentContext() : null;
        synchronized (out) {
            out.println(line);
            if (loop == null) {
                out.flush();
                return;
            }
            if (flushQueued) {
                return;
            }
            flushQueued = true;
        }
        loop.runOnContext(v -> flush());
    }

    /** Writes out whatever is buffered; also for the end of the program. */
    public void flush() {
        synchronized (out) {
            flushQueued = false;
            out.flush();
        }
    }
}
