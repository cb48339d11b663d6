package dev.parley.rendezvous.presence;

import dev.parley.common.protocol.ServerMessage.CloseReason;
import dev.parley.rendezvous.account.LoginService;
import dev.parley.rendezvous.config.ParleyConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * Once a second: logs out the idle (if the idle timeout is on), drops the dead (not heard from
 * within the heartbeat timeout), so presence stays true, and pings the sessions that have been
 * silent for half the timeout (but at least an interval), leaving the answer the other half. Any
 * frame from a node is proof of life, so a busy session is never pinged, and an idle one costs one
 * ping and its answer every ~8 s by default, where every session used to be pinged every 5 s.
 */
@ApplicationScoped
public class SessionSweeper {
    private final SessionRegistry registry;
    private final PresenceService presence;
    private final LoginService logins;
    private final Clock clock;
    private final long idleMillis;
    private final long pingAfterNanos;
    private final long deadNanos;

    public SessionSweeper(SessionRegistry registry, PresenceService presence, LoginService logins, Clock clock,
            ParleyConfig config) {
        this.registry = registry;
        this.presence = presence;
        this.logins = logins;
        this.clock = clock;
        this.idleMillis = config.idleTimeout().toMillis();
        this.deadNanos = config.heartbeat().timeout().toNanos();
        // Half the timeout: a node that reads late (a busy client, a loaded machine) still has 7.5 s to answer.
        this.pingAfterNanos = Math.max(config.heartbeat().interval().toNanos(), deadNanos / 2);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        long now = clock.millis();
        long nanoNow = System.nanoTime();
        // The registry's own view, not a copy: it tolerates sessions ending while it is walked.
        for (ChatSession session : registry.all()) {
            if (idleMillis > 0 && now - session.lastCommand() >= idleMillis) {
                presence.end(session, CloseReason.idle,
                        "logged out after " + idleMillis / 1000 + " s without activity", true);
                // An idle logout is a real logout: the node must sign in again, not just reconnect.
                logins.logout(session.key());
            } else if (session.silentNanos(nanoNow) > deadNanos) {
                presence.end(session, CloseReason.heartbeat,
                        "no heartbeat for " + deadNanos / 1_000_000_000 + " s", true);
            } else {
                session.pingIfSilent(nanoNow, pingAfterNanos);
            }
        }
    }
}
