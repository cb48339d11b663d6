package dev.parley.rendezvous.launch;

import dev.parley.rendezvous.account.PasswordHasher;
import dev.parley.rendezvous.throttle.Rate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server's command line. Each option also reads a {@code PARLEY_*} environment variable, and
 * becomes the {@code parley.*} or {@code quarkus.*} property the application reads, so the same
 * settings can come from flags, the environment, or Quarkus configuration. The options that set a
 * {@code parley.*} setting take their defaults from {@code ParleyConfig} ({@link ConfigDefaults}).
 */
@Command(name = "parley-rendezvous", mixinStandardHelpOptions = true, versionProvider = Version.class,
        defaultValueProvider = ConfigDefaults.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "The Parley rendezvous server: accounts, presence, blocking, consent and relay.")
public class ServerOptions {

    @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-8443}",
            description = "Port to serve HTTPS/WSS on (HTTP with --plaintext); 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "${env:PARLEY_HOST:-0.0.0.0}",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--data", defaultValue = "${env:PARLEY_DATA:-./parley-data}",
            description = "Directory for the embedded database and the TLS certificate. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--credentials", paramLabel = "FILE", defaultValue = "${env:PARLEY_CREDENTIALS}",
            description = "File of 'username password' lines to import (hashed) at start.")
    Path credentials;

    @Option(names = "--no-registration", defaultValue = "${env:PARLEY_NO_REGISTRATION:-false}",
            description = "Refuse self-registration: only existing and imported accounts can log in.")
    boolean noRegistration;

    @Option(names = "--lockout-attempts",
            description = "Consecutive wrong passwords that lock an account. Default: ${DEFAULT-VALUE}.")
    int lockoutAttempts;

    @Option(names = "--lockout-seconds",
            description = "How long a locked account stays locked. Default: ${DEFAULT-VALUE}.")
    long lockoutSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Log out users idle this long; 0 turns it off. Default: ${DEFAULT-VALUE}.")
    long idleTimeout;

    @Option(names = "--heartbeat", paramLabel = "SECONDS",
            description = "Heartbeat interval: a session silent for 1.5 intervals is pinged, for three dropped. Default: ${DEFAULT-VALUE}.")
    long heartbeat;

    @Option(names = "--consent-timeout", paramLabel = "SECONDS",
            description = "How long a getaddress request waits for the other user's consent. Default: ${DEFAULT-VALUE}.")
    long consentTimeout;

    @Option(names = "--hash-memory", paramLabel = "KIB",
            description = "Argon2id memory per password hash, in KiB (at least 1024; OWASP's minimum, the default, is 19456)."
                    + " Existing hashes keep their own cost. Default: ${DEFAULT-VALUE}.")
    int hashMemory;

    @Option(names = "--hash-iterations",
            description = "Argon2id passes per password hash. Default: ${DEFAULT-VALUE}.")
    int hashIterations;

    @Option(names = "--max-waiting", paramLabel = "N",
            description = "Messages kept waiting for one recipient, at most; more are refused (quota). Default: ${DEFAULT-VALUE}.")
    int maxWaiting;

    @Option(names = "--max-waiting-per-sender", paramLabel = "N",
            description = "Of those, at most this many from one sender. Default: ${DEFAULT-VALUE}.")
    int maxWaitingPerSender;

    @Option(names = "--login-rate", paramLabel = "COUNT/PERIOD",
            description = "Logins allowed per client address, e.g. 30/60s (period in ms, s, m or h). Default: ${DEFAULT-VALUE}.")
    String loginRate;

    @Option(names = "--register-rate", paramLabel = "COUNT/PERIOD",
            description = "Registrations allowed per client address. Default: ${DEFAULT-VALUE}.")
    String registerRate;

    @Option(names = "--getaddress-rate", paramLabel = "COUNT/PERIOD",
            description = "Requests for a direct link allowed per user. Default: ${DEFAULT-VALUE}.")
    String getaddressRate;

    @Option(names = "--token-max-age", paramLabel = "SECONDS",
            description = "A session token expires this long after its login. Default: ${DEFAULT-VALUE}.")
    long tokenMaxAge;

    @Option(names = "--token-idle", paramLabel = "SECONDS",
            description = "A session token expires after this long unused (no session open with it). Default: ${DEFAULT-VALUE}.")
    long tokenIdle;

    @Option(names = "--metrics-port", paramLabel = "N", defaultValue = "${env:PARLEY_METRICS_PORT:-9000}",
            description = "Port for /q/metrics (Prometheus), served apart from the public port; 0 picks a free one."
                    + " Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDR", defaultValue = "${env:PARLEY_METRICS_HOST:-127.0.0.1}",
            description = "Address the metrics port listens on. Default: ${DEFAULT-VALUE} (this machine only).")
    String metricsHost;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", defaultValue = "${env:PARLEY_DB_URL}",
            description = "Use PostgreSQL at this JDBC URL (jdbc:postgresql://HOST/DB) instead of the embedded H2.")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:PARLEY_DB_USER}",
            description = "PostgreSQL user. The password is read from PARLEY_DB_PASSWORD, never from the command line.")
    String dbUser;

    @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:PARLEY_TLS_CERT}",
            description = "Certificate (chain) to serve instead of the self-signed one.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:PARLEY_TLS_KEY}",
            description = "Private key for --tls-cert.")
    Path tlsKey;

    @Option(names = "--plaintext", defaultValue = "${env:PARLEY_PLAINTEXT:-false}",
            description = "Serve plain HTTP/WS without TLS. For local development only.")
    boolean plaintext;

    /** Checks what picocli's types cannot; returns the problem, or null. */
    String problem() {
        if (port < 0 || port > 65535 || metricsPort < 0 || metricsPort > 65535) {
            return "--port and --metrics-port must be between 0 and 65535";
        }
        if (lockoutAttempts < 1) {
            return "--lockout-attempts must be at least 1";
        }
        if (lockoutSeconds < 0 || idleTimeout < 0) {
            return "--lockout-seconds and --idle-timeout must not be negative";
        }
        if (consentTimeout < 1) {
            return "--consent-timeout must be at least 1 second";
        }
        if (heartbeat < 1) {
            return "--heartbeat must be at least 1 second";
        }
        if (hashMemory < PasswordHasher.MIN_MEMORY_KIB || hashMemory > 4 * 1024 * 1024) {
            return "--hash-memory must be between " + PasswordHasher.MIN_MEMORY_KIB + " and 4194304 KiB";
        }
        if (hashIterations < 1 || hashIterations > 100) {
            return "--hash-iterations must be between 1 and 100";
        }
        for (String rate : new String[] {loginRate, registerRate, getaddressRate}) {
            try {
                Rate.parse(rate);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        if (maxWaiting < 1 || maxWaitingPerSender < 1) {
            return "--max-waiting and --max-waiting-per-sender must be at least 1";
        }
        if (tokenMaxAge < 1 || tokenIdle < 1) {
            return "--token-max-age and --token-idle must be at least 1 second";
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            return "--tls-cert and --tls-key go together";
        }
        if (plaintext && tlsCert != null) {
            return "--plaintext and --tls-cert contradict each other";
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            return "--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE)";
        }
        return null;
    }

    /** The configuration these options stand for, minus TLS (which needs files made first). */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("parley.data", data.toAbsolutePath().normalize().toString());
        if (credentials != null) {
            p.put("parley.credentials", credentials.toAbsolutePath().toString());
        }
        p.put("parley.registration", Boolean.toString(!noRegistration));
        p.put("parley.lockout.attempts", Integer.toString(lockoutAttempts));
        p.put("parley.lockout.duration", lockoutSeconds + "s");
        p.put("parley.idle-timeout", idleTimeout + "s");
        p.put("parley.heartbeat.interval", heartbeat + "s");
        p.put("parley.heartbeat.timeout", (3 * heartbeat) + "s");
        p.put("parley.consent-timeout", consentTimeout + "s");
        p.put("parley.password-hash.memory-kib", Integer.toString(hashMemory));
        p.put("parley.password-hash.iterations", Integer.toString(hashIterations));
        p.put("parley.relay.max-waiting", Integer.toString(maxWaiting));
        p.put("parley.relay.max-waiting-per-sender", Integer.toString(maxWaitingPerSender));
        p.put("parley.rate-limit.login-per-address", loginRate);
        p.put("parley.rate-limit.register-per-address", registerRate);
        p.put("parley.rate-limit.getaddress-per-user", getaddressRate);
        p.put("parley.tokens.max-age", tokenMaxAge + "s");
        p.put("parley.tokens.idle-age", tokenIdle + "s");
        p.put("quarkus.http.host", host);
        p.put("quarkus.management.port", Integer.toString(metricsPort));
        p.put("quarkus.management.host", metricsHost);
        if (dbUrl != null) {
            p.put("quarkus.datasource.embedded.active", "false");
            p.put("quarkus.datasource.postgresql.active", "true");
            p.put("quarkus.datasource.postgresql.jdbc.url", dbUrl);
            if (dbUser != null) {
                p.put("quarkus.datasource.postgresql.username", dbUser);
            }
            String password = System.getenv("PARLEY_DB_PASSWORD");
            if (password != null) {
                p.put("quarkus.datasource.postgresql.password", password);
            }
        }
        return p;
    }
}
