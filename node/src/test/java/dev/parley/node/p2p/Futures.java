package dev.parley.node.p2p;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting on Vert.x futures in the p2p tests, always with a bound. */
final class Futures {
    static final Duration WAIT = Duration.ofSeconds(20);

    private Futures() {
    }

    static <T> T await(Future<T> future) throws Exception {
        return await(future, WAIT);
    }

    static <T> T await(Future<T> future, Duration timeout) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why {@code future} failed; an assertion error saying {@code ifItDidNot} if it succeeded. */
    static String failure(Future<?> future, String ifItDidNot) throws Exception {
        try {
            await(future);
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
        throw new AssertionError(ifItDidNot);
    }
}
