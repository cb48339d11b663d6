package dev.parley.rendezvous.presence;

import dev.parley.common.protocol.ServerMessage.CloseReason;
import dev.parley.rendezvous.account.LoginService;
import dev.parley.rendezvous.config.ParleyConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Once a second: pings sessions that are due, logs out the idle (if the idle timeout is on) and
 * drops the dead (not heard from within the heartbeat timeout), so presence stays true.
 */
@ApplicationScoped
public class SessionSweeper {
    private final SessionRegistry registry;
    private final PresenceService presence;
    private final LoginService logins;
    private final Clock clock;
    private final long idleMillis;
    private final long pingMillis;
    private final long deadMillis;

    public SessionSweeper(SessionRegistry registry, PresenceService presence, LoginService logins, Clock clock,
            ParleyConfig config) {
        this.registry = registry;
        this.presence = presence;
        this.logins = logins;
        this.clock = clock;
        this.idleMillis = config.idleTimeout().toMillis();
        this.pingMillis = config.heartbeat().interval().toMillis();
        this.deadMillis = config.heartbeat().timeout().toMillis();
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        long now = clock.millis();
        for (ChatSession session : List.copyOf(registry.all())) {
            if (now - session.lastHeard() > deadMillis) {
                presence.end(session, CloseReason.heartbeat, "no heartbeat for " + deadMillis / 1000 + " s", true);
            } else if (idleMillis > 0 && now - session.lastCommand() >= idleMillis) {
                presence.end(session, CloseReason.idle,
                        "logged out after " + idleMillis / 1000 + " s without activity", true);
                // An idle logout is a real logout: the node must sign in again, not just reconnect.
                logins.logout(session.key());
            } else {
                session.pingIfDue(now, pingMillis);
            }
        }
    }
}
