package dev.parley.testsupport;

import dev.parley.common.tls.PinnedTrustManager;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The packaged rendezvous server ({@code rendezvous/target/quarkus-app/quarkus-run.jar}) as a child
 * process on 127.0.0.1: the one launcher of every module's tests (the server's own process tests,
 * the node's end-to-end tests). Its stdout and stderr (merged) are read line by line into a queue
 * a test can wait on. It starts on a free port, with its metrics port free too, and is ready once
 * it has started in full; stop it (SIGTERM), kill it (SIGKILL) or restart it on the same port.
 * {@link Launch#within} runs it elsewhere (in a network namespace of a NAT lab), on the address
 * {@link Launch#host} gives.
 */
public final class ServerProcess implements AutoCloseable {
    /** Generous: the capacity bench's server imports tens of thousands of accounts before it listens. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    public static final String FINGERPRINT_LINE = "TLS certificate fingerprint: ";
    /** Quarkus's last start-up line: "… started in 1.234s. Listening on: https://…". */
    private static final String LISTENING = "Listening on";
    private static final java.util.regex.Pattern MANAGEMENT =
            java.util.regex.Pattern.compile("Management interface listening on (http://[0-9.]+:[0-9]+)");

    /** Every server not yet stopped, so a test class can clean up whatever a failure left behind. */
    private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final String EOF = new String("<end of output>");
    private static final String LOOPBACK = "127.0.0.1";

    public final int port;
    /** The address it listens on (127.0.0.1 unless {@link Launch#host} said otherwise). */
    public final String host;
    public final Path data;
    public final boolean tls;
    /** The fingerprint the server printed; null with {@code --plaintext}. */
    public final String fingerprint;
    private final Launch launch;
    private final Process process;
    /** When the server said it listens, in {@link System#nanoTime()}, as read from its output. */
    private final CompletableFuture<Long> listening;
    private final long launchedNanos;
    private final BlockingQueue<String> lines;
    private final List<String> transcript;
    private final Thread reader;

    private ServerProcess(int port, Launch launch, boolean tls, String fingerprint, Process process, long launchedNanos,
            CompletableFuture<Long> listening, BlockingQueue<String> lines, List<String> transcript, Thread reader) {
        this.port = port;
        this.host = launch.host;
        this.data = launch.data;
        this.launch = launch;
        this.launchedNanos = launchedNanos;
        this.listening = listening;
        this.tls = tls;
        this.fingerprint = fingerprint;
        this.process = process;
        this.lines = lines;
        this.transcript = transcript;
        this.reader = reader;
    }

    /**
     * Starts a server on a free port with its data in {@code data}, waits for its fingerprint line
     * (unless {@code --plaintext} is among {@code extra}) and for {@code /q/health/ready} to answer UP.
     */
    public static ServerProcess start(Path data, String... extra) throws IOException, InterruptedException {
        return launch(data).options(List.of(extra)).start();
    }

    /** A start with more to say than the options: see {@link Launch}. */
    public static Launch launch(Path data) {
        return new Launch(data, List.of(), List.of(), null, false, List.of(), LOOPBACK);
    }

    /**
     * How a server is started: its data directory, its options, options for its JVM (a heap limit,
     * system properties), the jar (by default the one {@link #jar()} finds), whether it reports
     * its start and stop on stdout (a benchmark prints its own tables there), and where it runs:
     * a command its own command is run through, and the address it listens on.
     */
    public static final class Launch {
        private final Path data;
        private final List<String> options;
        private final List<String> jvm;
        private final Path jar;
        private final boolean quiet;
        private final List<String> prefix;
        private final String host;

        private Launch(Path data, List<String> options, List<String> jvm, Path jar, boolean quiet, List<String> prefix,
                String host) {
            this.data = data;
            this.options = List.copyOf(options);
            this.jvm = List.copyOf(jvm);
            this.jar = jar;
            this.quiet = quiet;
            this.prefix = List.copyOf(prefix);
            this.host = host;
        }

        public Launch options(List<String> serverOptions) {
            return new Launch(data, serverOptions, jvm, jar, quiet, prefix, host);
        }

        public Launch jvm(List<String> jvmOptions) {
            return new Launch(data, options, jvmOptions, jar, quiet, prefix, host);
        }

        public Launch jar(Path serverJar) {
            return new Launch(data, options, jvm, serverJar, quiet, prefix, host);
        }

        public Launch quiet() {
            return new Launch(data, options, jvm, jar, true, prefix, host);
        }

        /**
         * Runs the server through this command ({@code ip netns exec NS}, which execs it in place,
         * so stopping the process stops the server). The tests' JVM may not reach the server's
         * network then, so it is ready when it says it listens, not when its health check answers.
         */
        public Launch within(List<String> commandPrefix) {
            return new Launch(data, options, jvm, jar, quiet, commandPrefix, host);
        }

        /** Listens on this address instead of 127.0.0.1 (its self-signed certificate names only loopback: pin it). */
        public Launch host(String address) {
            return new Launch(data, options, jvm, jar, quiet, prefix, address);
        }

        /** Starts the server on a free port and waits until it is ready (see {@link ServerProcess#start}). */
        public ServerProcess start() throws IOException, InterruptedException {
            // The free port found is released before the server binds it; if something else took it
            // meanwhile, try another one.
            for (int attempt = 1; ; attempt++) {
                try {
                    return startOn(freePort(), this);
                } catch (PortTaken e) {
                    if (attempt == 3) {
                        throw new AssertionError("no free port after 3 attempts", e);
                    }
                }
            }
        }
    }

    /** Starts the server again on the same port, with the same data and options (after {@link #stop()} or {@link #kill()}). */
    public ServerProcess restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("stop the server before restarting it");
        }
        return startOn(port, launch);
    }

    private static final class PortTaken extends AssertionError {
        PortTaken(AssertionError cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static ServerProcess startOn(int port, Launch launch) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", launch.host, "--metrics-port", "0",
                "--data", launch.data.toString()));
        args.addAll(launch.options);
        boolean tls = !args.contains("--plaintext");

        long started = System.nanoTime();
        Process process = builder(launch, args).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> transcript = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Long> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(process, lines, transcript, listening), "server-output-" + port);
        reader.setDaemon(true);
        reader.start();

        ServerProcess server = null;
        try {
            String fingerprint = null;
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            if (tls) {
                String line = awaitLine(lines, transcript, l -> l.startsWith(FINGERPRINT_LINE), deadline);
                fingerprint = line.substring(FINGERPRINT_LINE.length()).strip();
            }
            server = new ServerProcess(port, launch, tls, fingerprint, process, started, listening, lines, transcript, reader);
            LIVE.add(server);
            if (launch.prefix.isEmpty()) {
                server.awaitReady(deadline);
            } else {
                server.awaitListening(deadline);
            }
            // Started in full, the metrics port too (health answers before that; a start that never
            // finishes also never stops on SIGTERM).
            awaitLine(lines, transcript, l -> l.contains("Management interface listening on"), deadline);
            if (!launch.quiet) {
                System.out.printf("[server :%d] ready in %d ms%n", port, (System.nanoTime() - started) / 1_000_000);
            }
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

    /** The outcome of a run that is expected to end by itself (help, usage errors). */
    public record Exited(int code, List<String> stdout, List<String> stderr) {
    }

    /** Runs the server jar with exactly {@code args} and waits for it to exit. */
    public static Exited run(Duration timeout, String... args) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("parley-run");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = builder(launch(dir), List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("server " + List.of(args) + " did not exit within " + timeout);
            }
            return new Exited(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
        } finally {
            destroy(process);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(dir);
        }
    }

    public URI uri(String path) {
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port + path);
    }

    public URI webSocketUri(String path) {
        return URI.create((tls ? "wss" : "ws") + "://" + host + ":" + port + path);
    }

    /** The URL a node is given with {@code --server}. */
    public String url() {
        return (tls ? "https" : "http") + "://" + host + ":" + port;
    }

    /** Where the server serves {@code /q/metrics}: its management interface, on a port of its own. */
    public String metricsUrl() {
        for (String line : transcript()) {
            java.util.regex.Matcher m = MANAGEMENT.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("the server did not say where its management interface listens: " + transcript());
    }

    /** A client that trusts exactly the certificate this server printed the fingerprint of. */
    public HttpClient client() {
        return tls ? pinnedClient(fingerprint) : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Waits for (and consumes) the next output line that matches. */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        return awaitLine(lines, transcript, wanted, System.nanoTime() + timeout.toNanos());
    }

    /** Every line printed so far. */
    public List<String> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    /**
     * How long the server took to start, by its own account: from its launch to the line that
     * says it listens (the health check and the test's polling of it left out).
     */
    public Duration startUp() throws InterruptedException {
        try {
            return Duration.ofNanos(listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) - launchedNanos);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the server never said it listens; output:\n" + String.join("\n", transcript()), e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM (Quarkus shuts down cleanly), then SIGKILL if it does not exit in time. */
    public void stop() throws InterruptedException {
        LIVE.remove(this);
        long stopping = System.nanoTime();
        boolean wasAlive = process.isAlive();
        destroy(process);
        reader.join(STOP_TIMEOUT.toMillis());
        if (wasAlive && !launch.quiet) {
            System.out.printf("[server :%d] stopped in %d ms, %s%n", port, (System.nanoTime() - stopping) / 1_000_000,
                    process.isAlive() ? "STILL RUNNING" : "exit " + process.exitValue());
            transcript().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .forEach(l -> System.out.printf("[server :%d] %s%n", port, l));
        }
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or the OOM killer would end it. */
    public void kill() throws InterruptedException {
        LIVE.remove(this);
        // Through the handle: Process.destroyForcibly() would also close our end of its output,
        // losing what it printed last.
        process.toHandle().destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server :" + port + " survived SIGKILL");
        }
        reader.join(STOP_TIMEOUT.toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Stops any server a test left running. */
    public static void stopAll() throws InterruptedException {
        for (ServerProcess server : List.copyOf(LIVE)) {
            server.stop();
        }
    }

    // ---- TLS pinning -----------------------------------------------------------------------

    /** An HTTP (and WebSocket) client whose only trusted certificate is the one with this fingerprint. */
    public static HttpClient pinnedClient(String fingerprint) {
        return HttpClient.newBuilder().sslContext(pinning(fingerprint)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static SSLContext pinning(String fingerprint) {
        PinnedTrustManager pinned = new PinnedTrustManager(fingerprint);
        // A plain X509TrustManager on purpose (the node's pin is an extended one): the JDK wraps it
        // and still checks the host name, so the tests also see the certificate names 127.0.0.1.
        X509TrustManager pin = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                pinned.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                pinned.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return pinned.getAcceptedIssuers();
            }
        };
        try {
            // The JDK wraps a plain X509TrustManager and still checks the host name (127.0.0.1 must be
            // in the certificate's IP SAN), so this is pinning plus endpoint identification.
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {pin}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- internals -------------------------------------------------------------------------

    public static Path jar() {
        for (String candidate : List.of("target/quarkus-app/quarkus-run.jar",
                "rendezvous/target/quarkus-app/quarkus-run.jar", "../rendezvous/target/quarkus-app/quarkus-run.jar")) {
            Path path = Path.of(candidate).toAbsolutePath();
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        throw new IllegalStateException("no quarkus-run.jar under " + Path.of("").toAbsolutePath()
                + ": package the rendezvous module first (./mvnw -pl rendezvous -am verify)");
    }

    /** The {@code java} of the JVM running the tests, for the processes they start. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static ProcessBuilder builder(Launch launch, List<String> args) {
        List<String> command = new ArrayList<>(launch.prefix);
        command.add(java());
        command.addAll(launch.jvm);
        command.add("-jar");
        command.add((launch.jar != null ? launch.jar : jar()).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // Options default from PARLEY_* variables; the test's command line must be all that counts.
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("QUARKUS_"));
        return builder;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void pump(Process process, BlockingQueue<String> lines, List<String> transcript,
            CompletableFuture<Long> listening) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!listening.isDone() && line.contains(LISTENING)) {
                    listening.complete(System.nanoTime());
                }
                transcript.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            transcript.add("<output unreadable: " + e + ">");
        } finally {
            listening.completeExceptionally(new IOException("output ended before the server said it listens"));
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
                throw new AssertionError("expected output line did not appear in time; output so far:\n"
                        + String.join("\n", snapshot(transcript)));
            }
            if (line == EOF) {
                lines.add(EOF); // later waits fail fast too
                throw new AssertionError("server exited before the expected output line; output:\n"
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
        HttpClient http = client();
        HttpRequest ready = HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(5)).GET().build();
        Optional<String> last = Optional.empty();
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
                last = Optional.of("HTTP " + response.statusCode() + " " + response.body());
            } catch (IOException e) {
                last = Optional.of(e.toString()); // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready within " + START_TIMEOUT + " (last: " + last.orElse("-")
                + "); output:\n" + String.join("\n", transcript()));
    }

    /** Ready by its own account: the line that says it listens (for a server the tests cannot reach). */
    private void awaitListening(long deadline) throws InterruptedException {
        try {
            listening.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("server never said it listens within " + START_TIMEOUT + "; output:\n"
                    + String.join("\n", transcript()), e);
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
