package dev.parley.bench;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Arrival times reported by client threads (receiver has a message, sender has its receipt),
 * taken in order by the load generator. A failure on a client thread wakes any wait at once.
 */
final class Arrivals {
    private static final long FAILED = Long.MIN_VALUE;

    private final BlockingQueue<Long> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> confirmed = new LinkedBlockingQueue<>();
    private volatile String failure;

    void received() {
        received.add(System.nanoTime());
    }

    void confirmed() {
        confirmed.add(System.nanoTime());
    }

    void failed(String why) {
        if (failure == null) {
            failure = why;
        }
        received.add(FAILED);
        confirmed.add(FAILED);
    }

    long awaitReceived(Duration limit, String subject) throws InterruptedException {
        return take(received, limit, subject + ": the receiver did not get a message");
    }

    long awaitConfirmed(Duration limit, String subject) throws InterruptedException {
        return take(confirmed, limit, subject + ": the sender got no receipt");
    }

    /** Throws if a client thread has failed since the last measurement. */
    void check(String subject) {
        if (failure != null) {
            throw new IllegalStateException(subject + ": " + failure);
        }
    }

    private long take(BlockingQueue<Long> queue, Duration limit, String what) throws InterruptedException {
        Long at = queue.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
        if (at == null) {
            throw new IllegalStateException(what + " within " + limit);
        }
        if (at == FAILED) {
            queue.add(FAILED); // later waits fail too
            throw new IllegalStateException(what + ": " + failure);
        }
        return at;
    }
}
