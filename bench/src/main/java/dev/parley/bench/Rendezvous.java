package dev.parley.bench;

import dev.parley.testsupport.ServerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server under measurement: the packaged rendezvous started by the test kit's {@link
 * ServerProcess} (127.0.0.1, a free port, TLS with its self-signed certificate), accounts from a
 * credentials file, its limits on load from one address lifted, and quiet on stdout, where the
 * bench prints its tables.
 */
final class Rendezvous implements AutoCloseable {
    final ServerProcess process;
    final int port;
    final String fingerprint;
    /** From launch to the server's line saying it listens. */
    final double startMillis;

    private Rendezvous(ServerProcess process, double startMillis) {
        this.process = process;
        this.port = process.port;
        this.fingerprint = process.fingerprint;
        this.startMillis = startMillis;
    }

    /**
     * All the load comes from one address and is the point of the measurement: the per-address and
     * overall rate limits, the bound on parallel password hashes, and the lockout's bound on logins
     * to one account checked at once (figure 5 logs one user in from several clients) are lifted.
     */
    private static final List<String> UNTHROTTLED = List.of("--login-rate", "1000000/1s", "--register-rate", "1000000/1s",
            "--getaddress-rate", "1000000/1s", "--lockout-attempts", "1000000");
    /**
     * Server options lifting the quotas of messages waiting for one recipient, for figures that send
     * one user many thousands from one sender (bursts of more than 1,000 unacknowledged at a time, a
     * stored backlog of 10,000), as a broker would take them.
     */
    static final List<String> NO_QUOTA = List.of("--max-waiting", "1000000", "--max-waiting-per-sender", "1000000");
    private static final List<String> UNTHROTTLED_JVM = List.of("-Dparley.rate-limit.login=1000000/1s",
            "-Dparley.rate-limit.register=1000000/1s", "-Dparley.rate-limit.getaddress=1000000/1s",
            "-Dparley.password-hash.concurrency=256");

    /** Starts the server with its data under {@code data}; {@code extra} are more server options. */
    static Rendezvous start(Path jar, Path data, Path credentials, List<String> extra) throws IOException, InterruptedException {
        return start(jar, List.of(), data, credentials, extra);
    }

    /** The same, with options for the server's JVM (e.g. a heap limit). */
    static Rendezvous start(Path jar, List<String> jvmOptions, Path data, Path credentials, List<String> extra)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--credentials", credentials.toString()));
        options.addAll(UNTHROTTLED);
        options.addAll(extra);
        List<String> jvm = new ArrayList<>(UNTHROTTLED_JVM);
        jvm.addAll(jvmOptions);
        // For profiling the server alone, e.g. -XX:StartFlightRecording=filename=server.jfr,settings=profile
        String profiling = System.getenv("PARLEY_BENCH_SERVER_JVM");
        if (profiling != null && !profiling.isBlank()) {
            jvm.addAll(List.of(profiling.trim().split("\\s+")));
        }
        ServerProcess server = ServerProcess.launch(data).jar(jar).jvm(jvm).options(options).quiet().start();
        try {
            return new Rendezvous(server, server.startUp().toNanos() / 1e6);
        } catch (RuntimeException | Error | InterruptedException e) {
            server.stop();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            process.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the stop has already forced the server down
        }
    }
}
