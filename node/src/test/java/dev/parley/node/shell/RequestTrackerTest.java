package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestTrackerTest {
    @Test
    void countsWhatIsStillOpenAndWhatEndedUnconfirmed() throws Exception {
        RequestTracker tracker = new RequestTracker();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        CompletableFuture<Void> unanswered = new CompletableFuture<>();
        CompletableFuture<Void> open = new CompletableFuture<>();
        tracker.track(answered);
        tracker.track(unanswered);
        tracker.track(open);
        tracker.track(CompletableFuture.failedFuture(new IllegalStateException("failed before it was tracked")));
        answered.complete(null);
        unanswered.completeExceptionally(new IllegalStateException("no answer"));

        assertEquals(1, tracker.awaitAll(100, TimeUnit.MILLISECONDS));
        assertEquals(2, tracker.unconfirmed());
        open.complete(null);
        assertEquals(0, tracker.awaitAll(1, TimeUnit.SECONDS));
        assertEquals(2, tracker.unconfirmed());
    }
}
