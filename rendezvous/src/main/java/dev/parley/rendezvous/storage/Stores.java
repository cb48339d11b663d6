package dev.parley.rendezvous.storage;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The database every store works on: whichever datasource is active, the embedded H2 one by default
 * or PostgreSQL when a JDBC URL is given. Both are in the build; configuration picks one at start.
 * Each feature builds its own stores on this {@link Jdbc}.
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
}
