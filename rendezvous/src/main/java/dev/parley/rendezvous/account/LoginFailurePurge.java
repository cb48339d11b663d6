package dev.parley.rendezvous.account;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/**
 * Failure counts are kept for any name tried, existing or not; forgetting stale ones keeps a
 * stream of made-up names from growing the table without bound.
 */
@ApplicationScoped
public class LoginFailurePurge {
    static final Duration KEEP = Duration.ofDays(1);

    private final LoginFailureStore failures;
    private final Clock clock;

    public LoginFailurePurge(LoginFailureStore failures, Clock clock) {
        this.failures = failures;
        this.clock = clock;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long now = clock.millis();
        failures.purge(now - KEEP.toMillis(), now);
    }
}
