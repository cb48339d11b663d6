package dev.parley.node.shell;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Requests still waiting for the server's answer, so a script can end only when all are answered. */
public final class RequestTracker implements ShellCommands.Tracker {
    private final Queue<CompletableFuture<?>> open = new ConcurrentLinkedQueue<>();

    @Override
    public void track(CompletableFuture<?> request) {
        open.removeIf(CompletableFuture::isDone);
        open.add(request);
    }

    /** Waits for every tracked request; returns how many were still open when time ran out. */
    public int awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        for (CompletableFuture<?> f : open) {
            try {
                f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                // Already reported as an error event.
            }
        }
        open.removeIf(CompletableFuture::isDone);
        return open.size();
    }
}
