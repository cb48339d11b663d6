package dev.parley.rendezvous.storage;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server tests run against, named by {@code PARLEY_TEST_PG_URL} (a JDBC URL) and
 * {@code PARLEY_TEST_PG_USER} / {@code PARLEY_TEST_PG_PASSWORD}. {@code .ci/run} starts a throwaway
 * server and sets them. Without a URL the PostgreSQL tests are skipped, except in CI
 * ({@code CI=true}), where that is a failure: CI must never pass without having run them.
 */
public final class PostgresTestDatabase {
    public static final String URL_ENV = "PARLEY_TEST_PG_URL";
    public static final String USER_ENV = "PARLEY_TEST_PG_USER";
    public static final String PASSWORD_ENV = "PARLEY_TEST_PG_PASSWORD";

    private static final String HOW_TO = "set " + URL_ENV + " (e.g. jdbc:postgresql://127.0.0.1:5432/parley_test) and "
            + USER_ENV + ", or run .ci/run, which starts a throwaway PostgreSQL 15 and runs the build against it";

    private PostgresTestDatabase() {
    }

    /** The JDBC URL, if configured. */
    public static Optional<String> url() {
        return env(URL_ENV);
    }

    public static String user() {
        return env(USER_ENV).orElse("postgres");
    }

    public static Optional<String> password() {
        return env(PASSWORD_ENV);
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static String missingInCiMessage() {
        return URL_ENV + " is not set but CI=true: the PostgreSQL tests must run in CI; " + HOW_TO;
    }

    static String skipMessage() {
        return "PostgreSQL tests skipped: " + URL_ENV + " is not set; to run them, " + HOW_TO;
    }

    /** The JDBC URL; aborts (skips) the calling test when none is configured, or fails it when CI=true. */
    public static String requireUrl() {
        Optional<String> url = url();
        if (url.isPresent()) {
            return url.get();
        }
        if (inCi()) {
            fail(missingInCiMessage());
        }
        Assumptions.abort(skipMessage());
        throw new AssertionError("unreachable");
    }

    /** A data source on the configured server whose connections work in {@code schema} (if not null). */
    public static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(requireUrl());
        ds.setUser(user());
        password().ifPresent(ds::setPassword);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    /** Creates a schema no other test run uses and returns its name. */
    public static String createUniqueSchema(String prefix) {
        String schema = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .toLowerCase(Locale.ROOT);
        execute("create schema " + schema);
        return schema;
    }

    public static void dropSchema(String schema) {
        execute("drop schema if exists " + schema + " cascade");
    }

    private static void execute(String sql) {
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url().orElse("?") + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
