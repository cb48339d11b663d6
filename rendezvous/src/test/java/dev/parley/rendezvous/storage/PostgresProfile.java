package dev.parley.rendezvous.storage;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the server on the PostgreSQL named by {@code PARLEY_TEST_PG_URL} instead of the embedded H2,
 * as {@code --db-url} does, in a schema of its own (Flyway creates it at start) so it never meets
 * the tables of other tests. Use with {@link RequiresPostgres}, which keeps Quarkus from booting
 * when no server is configured.
 */
public class PostgresProfile implements QuarkusTestProfile {
    // not under "parley.": unknown keys under that prefix fail the server's config validation
    private static final String SCHEMA_PROPERTY = "dev.parley.test.pg-server-schema";

    /**
     * The schema this JVM's server uses. Kept in a system property so that every class loader
     * (Quarkus loads tests and profiles in its own) sees the same name.
     */
    public static String schema() {
        return System.getProperties().computeIfAbsent(SCHEMA_PROPERTY,
                k -> "parley_server_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toString();
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        PostgresTestDatabase.url().ifPresent(url -> {
            config.put("quarkus.datasource.embedded.active", "false");
            config.put("quarkus.datasource.postgresql.active", "true");
            config.put("quarkus.datasource.postgresql.jdbc.url", url);
            config.put("quarkus.datasource.postgresql.username", PostgresTestDatabase.user());
            PostgresTestDatabase.password().ifPresent(p -> config.put("quarkus.datasource.postgresql.password", p));
            config.put("quarkus.datasource.postgresql.jdbc.additional-jdbc-properties.currentSchema", schema());
            config.put("quarkus.flyway.postgresql.schemas", schema());
        });
        return config;
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
