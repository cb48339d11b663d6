package dev.parley.rendezvous.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The counters an operator watches, exported at {@code /q/metrics}: logins by outcome, lockouts,
 * users online, messages relayed, stored, delivered from the store, and broadcasts.
 */
@ApplicationScoped
public class ServerMetrics {
    private final MeterRegistry registry;
    private final Counter loginSuccess;
    private final Counter loginFailure;
    private final Counter loginLocked;
    private final Counter loginBusy;
    private final Counter lockouts;
    private final Counter relayed;
    private final Counter stored;
    private final Counter drained;
    private final Counter broadcasts;
    private final Counter slowConsumers;

    public ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        loginSuccess = Counter.builder("parley.logins").tag("result", "success").register(registry);
        loginFailure = Counter.builder("parley.logins").tag("result", "bad-credentials").register(registry);
        loginLocked = Counter.builder("parley.logins").tag("result", "locked").register(registry);
        loginBusy = Counter.builder("parley.logins").tag("result", "retry-later").register(registry);
        lockouts = Counter.builder("parley.lockouts").description("accounts locked after failed logins").register(registry);
        relayed = Counter.builder("parley.messages").tag("via", "relay").description("messages relayed to online users").register(registry);
        stored = Counter.builder("parley.messages").tag("via", "offline").description("messages stored for offline users").register(registry);
        drained = Counter.builder("parley.messages.delivered.from.store").description("stored messages delivered at login").register(registry);
        broadcasts = Counter.builder("parley.broadcasts").register(registry);
        slowConsumers = Counter.builder("parley.sessions.closed").tag("reason", "slow-consumer")
                .description("sessions closed because the node stopped reading").register(registry);
    }

    /** Registers the gauge of users online, read from the session registry when scraped. */
    public void onlineUsers(Supplier<Number> count) {
        // Strong reference: a method reference is otherwise collected and the gauge reads NaN.
        Gauge.builder("parley.users.online", count, s -> s.get().doubleValue()).strongReference(true).register(registry);
    }

    public void loginSucceeded() {
        loginSuccess.increment();
    }

    public void loginFailed() {
        loginFailure.increment();
    }

    public void loginRefusedLocked() {
        loginLocked.increment();
    }

    public void loginBusy() {
        loginBusy.increment();
    }

    /** A request refused by a rate limit ({@code kind}: login, register, getaddress, punch, observed-address). */
    public void rateLimited(String kind) {
        Counter.builder("parley.rate.limited").tag("kind", kind).description("requests refused by a rate limit")
                .register(registry).increment();
    }

    public void lockout() {
        lockouts.increment();
    }

    public void relayed() {
        relayed.increment();
    }

    public void stored() {
        stored.increment();
    }

    public void deliveredFromStore() {
        drained.increment();
    }

    public void broadcast() {
        broadcasts.increment();
    }

    public void slowConsumer() {
        slowConsumers.increment();
    }

}
