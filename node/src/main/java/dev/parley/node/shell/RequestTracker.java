package dev.parley.node.shell;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests still waiting for an answer, so a script can end only when all are answered, and a
 * count of those that ended unconfirmed (their futures failed: the node has reported each, by id).
 */
public final class RequestTracker implements ShellCommands.Tracker {
    /** Each request leaves when it completes: no scan of all the others per command (a burst has thousands). */
    private final Set<CompletableFuture<?>> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unconfirmed = new AtomicInteger();

    @Override
    public void track(CompletableFuture<?> request) {
        if (!request.isDone()) {
            open.add(request);
        }
        request.whenComplete((result, failure) -> {
            if (failure != null) {
                unconfirmed.incrementAndGet();
            }
            open.remove(request);
        });
    }

    /** Waits for every tracked request; returns how many were still open when time ran out. */
    public int awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        for (CompletableFuture<?> f : List.copyOf(open)) {
            try {
                f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                // Already reported as an error event, and counted.
            }
        }
        // A request that has just completed may not have removed itself yet.
        open.removeIf(CompletableFuture::isDone);
        return open.size();
    }

    /** Requests that ended without the answer that would have confirmed them. */
    public int unconfirmed() {
        return unconfirmed.get();
    }
}
