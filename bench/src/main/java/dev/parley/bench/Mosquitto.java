package dev.parley.bench;

import dev.parley.testsupport.SelfSignedCert;
import dev.parley.testsupport.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Eclipse Mosquitto broker from Debian's packages as the reference relay: started by the
 * harness on 127.0.0.1, with TLS on one free port (like the Parley server) and a certificate made
 * for the run, and plain TCP on another (for Mosquitto's own clients' plain row). Always stopped
 * by {@link #close()}.
 */
final class Mosquitto implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    /** The TLS listener's port. */
    final int port;
    /** The plain TCP listener's port. */
    final int plainPort;
    /** The broker's certificate (PEM), for clients that verify it. */
    final Path certificate;
    final Path work;
    private final ChildProcess process;

    private Mosquitto(int port, int plainPort, Path work, ChildProcess process) {
        this.port = port;
        this.plainPort = plainPort;
        this.certificate = work.resolve("cert.pem");
        this.work = work;
        this.process = process;
    }

    /** Starts a broker serving {@code cert}; returns once it says it is running (it listens by then). */
    static Mosquitto start(SelfSignedCert cert) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install Debian's mosquitto package (apt-get install -y mosquitto)");
        }
        Path work = Files.createTempDirectory("parley-bench-mqtt");
        ChildProcess process = null;
        try {
            cert.writePem(work.resolve("cert.pem"), work.resolve("key.pem"));
            int port = ServerProcess.freePort();
            int plainPort = ServerProcess.freePort();
            while (plainPort == port) {
                plainPort = ServerProcess.freePort();
            }
            Path conf = Files.writeString(work.resolve("mosquitto.conf"), config(port, plainPort, work));
            process = ChildProcess.exec(List.of(BINARY.toString(), "-c", conf.toString()));
            String line = process.await(l -> l.contains(" running") || l.contains("Error"), START_LIMIT, "mosquitto to start");
            if (line.contains("Error")) {
                throw new IllegalStateException("mosquitto did not start: " + line);
            }
            return new Mosquitto(port, plainPort, work, process);
        } catch (Exception | Error e) {
            if (process != null) {
                process.close();
            }
            Scratch.deleteDirectory(work);
            throw e;
        }
    }

    /**
     * The directives are mosquitto 2.0's (see mosquitto.conf(5)). Limits are lifted so a burst is
     * never throttled or dropped by the broker's per-client queues: the Parley server has no such
     * window either.
     */
    static String config(int port, int plainPort, Path work) {
        return String.join("\n",
                "per_listener_settings false",
                "allow_anonymous true",
                "persistence false",
                // As root mosquitto would switch to the 'mosquitto' user, who cannot read our key.
                "user " + System.getProperty("user.name"),
                // stderr is unbuffered; "running" (our ready signal) is logged at information level.
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                // The Parley server (Vert.x) and every bench client set TCP_NODELAY too.
                "set_tcp_nodelay true",
                "max_inflight_messages 0",
                "max_queued_messages 1000000",
                "max_queued_bytes 0",
                "listener " + port + " 127.0.0.1",
                "certfile " + work.resolve("cert.pem"),
                "keyfile " + work.resolve("key.pem"),
                "tls_version tlsv1.3",
                // After the TLS settings, which belong to the listener above.
                "listener " + plainPort + " 127.0.0.1",
                "");
    }

    @Override
    public void close() throws IOException {
        process.close();
        Scratch.deleteDirectory(work);
    }
}
