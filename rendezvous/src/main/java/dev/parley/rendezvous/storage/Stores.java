package dev.parley.rendezvous.storage;

import dev.parley.rendezvous.account.AccountStore;
import dev.parley.rendezvous.account.DeviceStore;
import dev.parley.rendezvous.account.LockoutPolicy;
import dev.parley.rendezvous.account.LoginFailureStore;
import dev.parley.rendezvous.account.SessionTokenStore;
import dev.parley.rendezvous.block.BlockStore;
import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.consent.IdentityStore;
import dev.parley.rendezvous.relay.MessageStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds the stores on whichever datasource is active: the embedded H2 one by default, or
 * PostgreSQL when a JDBC URL is given. Both are in the build; configuration picks one at start.
 */
public class Stores {
    public static final String EMBEDDED = "embedded";
    public static final String POSTGRESQL = "postgresql";

    @Produces
    @Singleton
    Jdbc jdbc(@DataSource(EMBEDDED) InjectableInstance<AgroalDataSource> embedded,
            @DataSource(POSTGRESQL) InjectableInstance<AgroalDataSource> postgresql) {
        // An inactive datasource must not be touched: its bean throws on use.
        boolean pg = postgresql.getHandle().getBean().isActive();
        boolean h2 = embedded.getHandle().getBean().isActive();
        if (pg == h2) {
            throw new IllegalStateException("exactly one datasource must be active (embedded H2 or PostgreSQL), found "
                    + (pg ? "both" : "none"));
        }
        return new Jdbc(pg ? postgresql.get() : embedded.get());
    }

    @Produces
    @Singleton
    AccountStore accounts(Jdbc jdbc) {
        return new AccountStore(jdbc);
    }

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

    @Produces
    @Singleton
    BlockStore blocks(Jdbc jdbc) {
        return new BlockStore(jdbc);
    }

    @Produces
    @Singleton
    MessageStore messages(Jdbc jdbc) {
        return new MessageStore(jdbc);
    }

    @Produces
    @Singleton
    IdentityStore identities(Jdbc jdbc) {
        return new IdentityStore(jdbc);
    }
}
