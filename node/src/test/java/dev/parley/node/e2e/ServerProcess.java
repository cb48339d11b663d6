package dev.parley.node.e2e;

import dev.parley.common.tls.CertificateFingerprint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The packaged rendezvous server ({@code ../rendezvous/target/quarkus-app/quarkus-run.jar}) as a
 * child process on 127.0.0.1 with TLS, for the node's end-to-end tests. Output (stdout and stderr
 * merged) is kept for diagnostics. A smaller cousin of the rendezvous module's own test helper.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    static final String FINGERPRINT_LINE = "TLS certificate fingerprint: ";
    private static final java.util.regex.Pattern MANAGEMENT =
            java.util.regex.Pattern.compile("Management interface listening on (http://[0-9.]+:[0-9]+)");

    private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final String EOF = new String("<end of output>");

    final int port;
    final Path data;
    final String fingerprint;
    private final List<String> extra;
    private final Process process;
    private final BlockingQueue<String> lines;
    private final List<String> transcript;
    private final Thread reader;

    private ServerProcess(int port, Path data, List<String> extra, String fingerprint, Process process,
            BlockingQueue<String> lines, List<String> transcript, Thread reader) {
        this.port = port;
        this.data = data;
        this.extra = extra;
        this.fingerprint = fingerprint;
        this.process = process;
        this.lines = lines;
        this.transcript = transcript;
        this.reader = reader;
    }

    /** Starts a server on a free port with its data in {@code data}; returns once it is ready. */
    static ServerProcess start(Path data, String... extra) throws IOException, InterruptedException {
        // The free port is released before the server binds it; if something took it meanwhile, retry.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOn(freePort(), data, List.of(extra));
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new AssertionError("no free port after 3 attempts", e);
                }
            }
        }
    }

    /** Starts the server again on the same port, with the same data and options (after {@link #stop()}). */
    ServerProcess restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("stop the server before restarting it");
        }
        return startOn(port, data, extra);
    }

    private static final class PortTaken extends AssertionError {
        PortTaken(AssertionError cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static ServerProcess startOn(int port, Path data, List<String> extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1", "--metrics-port", "0",
                "--data", data.toString()));
        args.addAll(extra);
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("QUARKUS_"));

        long started = System.nanoTime();
        Process process = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> transcript = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> pump(process, lines, transcript), "server-output-" + port);
        reader.setDaemon(true);
        reader.start();

        ServerProcess server = null;
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            String line = awaitLine(lines, transcript, l -> l.startsWith(FINGERPRINT_LINE), deadline);
            String fingerprint = line.substring(FINGERPRINT_LINE.length()).strip();
            server = new ServerProcess(port, data, List.copyOf(extra), fingerprint, process, lines, transcript, reader);
            LIVE.add(server);
            server.awaitReady(deadline);
            // Started in full, the metrics port too (health answers before that; a start that never
            // finishes also never stops on SIGTERM).
            awaitLine(lines, transcript, l -> l.contains("Management interface listening on"), deadline);
            System.out.printf("[server :%d] ready in %d ms%n", port, (System.nanoTime() - started) / 1_000_000);
            return server;
        } catch (InterruptedException | RuntimeException | AssertionError e) {
            if (server != null) {
                server.stop();
            } else {
                destroy(process);
            }
            if (e instanceof AssertionError failure && !process.isAlive()
                    && snapshot(transcript).stream().anyMatch(l -> l.contains("in use"))) {
                throw new PortTaken(failure);
            }
            throw e;
        }
    }

    /** Where the server serves {@code /q/metrics}: its management interface, on a port of its own. */
    String metricsUrl() {
        for (String line : transcript()) {
            java.util.regex.Matcher m = MANAGEMENT.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("the server did not say where its management interface listens: " + transcript());
    }

    /** The URL a node is given with {@code --server}. */
    String url() {
        return "https://127.0.0.1:" + port;
    }

    List<String> transcript() {
        return snapshot(transcript);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (Quarkus shuts down cleanly and tells the sessions), then SIGKILL if it does not exit in time. */
    void stop() throws InterruptedException {
        LIVE.remove(this);
        long stopping = System.nanoTime();
        boolean wasAlive = process.isAlive();
        destroy(process);
        reader.join(STOP_TIMEOUT.toMillis());
        if (wasAlive) {
            System.out.printf("[server :%d] stopped in %d ms, %s%n", port, (System.nanoTime() - stopping) / 1_000_000,
                    process.isAlive() ? "STILL RUNNING" : "exit " + process.exitValue());
            transcript().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .forEach(l -> System.out.printf("[server :%d] %s%n", port, l));
        }
    }

    /** SIGKILL, as a crash: no shutdown, nothing told to the sessions. Returns once the process is gone. */
    void kill() throws InterruptedException {
        LIVE.remove(this);
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server :" + port + " still running after SIGKILL");
        }
        reader.join(STOP_TIMEOUT.toMillis());
        System.out.printf("[server :%d] killed%n", port);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Stops any server a test left running. */
    static void stopAll() throws InterruptedException {
        for (ServerProcess server : List.copyOf(LIVE)) {
            server.stop();
        }
    }

    // ---- internals -------------------------------------------------------------------------

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The packaged server; the build passes its path, else it is found beside the node module. */
    static Path jar() {
        String configured = System.getProperty("parley.rendezvous.jar");
        Path path = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("basedir", ".")).resolve("../rendezvous/target/quarkus-app/quarkus-run.jar");
        path = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the packaged rendezvous server is missing: " + path
                    + " does not exist. Package it first: ./mvnw -pl rendezvous -am package -DskipTests");
        }
        return path;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void pump(Process process, BlockingQueue<String> lines, List<String> transcript) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                transcript.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            transcript.add("<output unreadable: " + e + ">");
        } finally {
            lines.add(EOF);
        }
    }

    @SuppressWarnings("StringEquality")
    private static String awaitLine(BlockingQueue<String> lines, List<String> transcript, Predicate<String> wanted,
            long deadline) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("expected server output did not appear in time; output so far:\n"
                        + String.join("\n", snapshot(transcript)));
            }
            if (line == EOF) {
                lines.add(EOF);
                throw new AssertionError("server exited before the expected output; output:\n"
                        + String.join("\n", snapshot(transcript)));
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    private static List<String> snapshot(List<String> transcript) {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    private void awaitReady(long deadline) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(pinning(fingerprint)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                .GET().build();
        String last = "-";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + " before it was ready; output:\n"
                        + String.join("\n", transcript()));
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(100); // polling a port that is not open yet: nothing to wait on instead
        }
        throw new AssertionError("server not ready within " + START_TIMEOUT + " (last: " + last + "); output:\n"
                + String.join("\n", transcript()));
    }

    /** Trusts exactly the certificate with this fingerprint. */
    static SSLContext pinning(String fingerprint) {
        X509TrustManager pin = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0 || !CertificateFingerprint.of(chain[0]).equals(fingerprint)) {
                    throw new CertificateException("not the certificate with fingerprint " + fingerprint);
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("servers only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {pin}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void destroy(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
