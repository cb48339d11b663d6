package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged rendezvous server as a child process on 127.0.0.1 and a free port, TLS with its
 * self-signed certificate, accounts from a credentials file. Ready once it says it listens.
 */
final class Rendezvous implements AutoCloseable {
    static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final String FINGERPRINT = "TLS certificate fingerprint: ";

    final ChildProcess process;
    final int port;
    final String fingerprint;
    final double startMillis;

    private Rendezvous(ChildProcess process, int port, String fingerprint, double startMillis) {
        this.process = process;
        this.port = port;
        this.fingerprint = fingerprint;
        this.startMillis = startMillis;
    }

    /**
     * All the load comes from one address and is the point of the measurement: the per-address and
     * overall rate limits, the bound on parallel password hashes, and the lockout's bound on logins
     * to one account checked at once (figure 5 logs one user in from several clients) are lifted.
     */
    private static final List<String> UNTHROTTLED = List.of("--login-rate", "1000000/1s", "--register-rate", "1000000/1s",
            "--getaddress-rate", "1000000/1s", "--lockout-attempts", "1000000");
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
        int port = Scratch.freeLoopbackPort();
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1", "--metrics-port", "0",
                "--data", data.toString(), "--credentials", credentials.toString()));
        args.addAll(UNTHROTTLED);
        args.addAll(extra);
        List<String> jvm = new ArrayList<>(UNTHROTTLED_JVM);
        jvm.addAll(jvmOptions);
        ChildProcess process = ChildProcess.start(jar, jvm, args);
        try {
            String fingerprint = process.await(l -> l.startsWith(FINGERPRINT), START_LIMIT, "the server's fingerprint")
                    .substring(FINGERPRINT.length()).strip();
            process.await(l -> l.contains("Listening on"), START_LIMIT, "the server to listen");
            return new Rendezvous(process, port, fingerprint, (System.nanoTime() - process.startedNanos) / 1e6);
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
