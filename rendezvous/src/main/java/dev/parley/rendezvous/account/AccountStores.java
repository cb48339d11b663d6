package dev.parley.rendezvous.account;

import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.storage.Jdbc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Login's stores: failed-attempt counters and the lockout on them, session tokens, known devices. */
class AccountStores {
    @Produces
    @Singleton
    LoginFailureStore loginFailures(Jdbc jdbc) {
        return new LoginFailureStore(jdbc);
    }

    @Produces
    @Singleton
    LockoutPolicy lockout(LoginFailureStore failures, Clock clock, ParleyConfig config) {
        return new LockoutPolicy(failures, clock, config.lockout().attempts(), config.lockout().duration());
    }

    @Produces
    @Singleton
    SessionTokenStore tokens(Jdbc jdbc, ParleyConfig config) {
        return new SessionTokenStore(jdbc, config.tokens().maxAge(), config.tokens().idleAge());
    }

    @Produces
    @Singleton
    DeviceStore devices(Jdbc jdbc) {
        return new DeviceStore(jdbc);
    }
}
