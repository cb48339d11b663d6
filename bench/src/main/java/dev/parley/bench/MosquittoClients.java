package dev.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Mosquitto driven by its own C clients from Debian's {@code mosquitto-clients}: {@code mosquitto_pub
 * -l} publishes a burst of lines at QoS 0 and {@code mosquitto_sub} prints them, over TLS or plain
 * TCP. What the broker reaches when the load generator is not the limit: the reference our own
 * MQTT client is held to. Throughput only (these clients cannot time one message), counted from
 * the first message the subscriber prints to the last, so the publisher's start-up is not in it
 * (read in chunks: the messages in the first chunk count as before the clock starts; a burst that
 * all comes in one chunk is timed from the publisher's start instead).
 */
final class MosquittoClients {
    static final Path PUB = Path.of("/usr/bin/mosquitto_pub");
    static final Path SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final String TOPIC = "bench/clients";
    /** What the readiness probes publish: a line no burst message can be (bursts are at least 2 bytes). */
    private static final String PROBE = "r";
    private static final Duration READY_LIMIT = Duration.ofSeconds(15);

    private MosquittoClients() {
    }

    /** Why the C clients cannot run here, or empty when they can. */
    static Optional<String> unavailable() {
        for (Path binary : List.of(PUB, SUB)) {
            if (!Files.isExecutable(binary)) {
                return Optional.of(binary + " not found: install Debian's mosquitto-clients package");
            }
        }
        return Optional.empty();
    }

    /** Messages a second of one burst of {@code messages} lines of {@code payload} bytes through {@code broker}. */
    static double burst(Mosquitto broker, boolean tls, int payload, int messages) throws Exception {
        if (payload < 2) {
            throw new IllegalArgumentException("payloads of 2 bytes or more: 1 byte is the probe");
        }
        Path lines = broker.work.resolve("burst-" + payload + ".txt");
        Files.writeString(lines, ("x".repeat(payload) + "\n").repeat(messages));
        List<String> connection = connection(broker, tls);
        Process sub = start(SUB, connection, List.of("-t", TOPIC, "-q", "0"), null);
        Process pub = null;
        try {
            LineCounter counter = new LineCounter(sub.getInputStream(), payload, messages);
            counter.start();
            probeUntilSubscribed(connection, counter, sub);
            long started = System.nanoTime();
            pub = start(PUB, connection, List.of("-t", TOPIC, "-q", "0", "-l"), lines);
            counter.awaitAll(RelayLoad.LIMIT.multipliedBy(2), sub, pub);
            if (!pub.waitFor(RelayLoad.LIMIT.toSeconds(), TimeUnit.SECONDS) || pub.exitValue() != 0) {
                throw new IllegalStateException("mosquitto_pub did not finish cleanly: " + exitOf(pub));
            }
            int afterFirstChunk = messages - counter.firstChunk;
            return afterFirstChunk > 0 ? afterFirstChunk / ((counter.lastNanos - counter.firstNanos) / 1e9)
                    : messages / ((counter.lastNanos - started) / 1e9);
        } finally {
            stop(pub);
            stop(sub);
            Files.deleteIfExists(lines);
        }
    }

    private static List<String> connection(Mosquitto broker, boolean tls) {
        List<String> args = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(tls ? broker.port : broker.plainPort)));
        if (tls) {
            // The certificate is made for the run; --insecure only skips the host name check.
            args.addAll(List.of("--cafile", broker.certificate.toString(), "--insecure"));
        }
        return args;
    }

    /**
     * mosquitto_sub says nothing once subscribed: publish probes until it prints one, so the burst
     * starts only when every message of it will be delivered.
     */
    private static void probeUntilSubscribed(List<String> connection, LineCounter counter, Process sub) throws Exception {
        long end = System.nanoTime() + READY_LIMIT.toNanos();
        while (!counter.probed()) {
            if (System.nanoTime() > end || !sub.isAlive()) {
                throw new IllegalStateException("mosquitto_sub did not receive a probe within " + READY_LIMIT
                        + (sub.isAlive() ? "" : " (it exited: " + exitOf(sub) + ")"));
            }
            Process probe = start(PUB, connection, List.of("-t", TOPIC, "-q", "0", "-m", PROBE), null);
            try {
                if (!probe.waitFor(READY_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a mosquitto_pub probe did not finish within " + READY_LIMIT);
                }
            } finally {
                stop(probe);
            }
            counter.awaitProbe(Duration.ofMillis(100));
        }
    }

    private static Process start(Path binary, List<String> connection, List<String> args, Path input) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(connection);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (input != null) {
            builder.redirectInput(input.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        return builder.start();
    }

    private static String exitOf(Process p) {
        return p.isAlive() ? "still running" : "exit code " + p.exitValue();
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Reads mosquitto_sub's output, counting lines by their length rather than keeping them: a
     * probe's line, then the burst's. Cheap, so that the counting takes little of the CPU the
     * broker and its clients need.
     */
    private static final class LineCounter extends Thread {
        private final InputStream in;
        private final int payload;
        private final int messages;
        private final Object lock = new Object();
        private boolean probed;
        private int received;
        private String failure;
        /** When the chunk with the burst's first message was read, and how many of the burst it held. */
        volatile long firstNanos;
        volatile int firstChunk;
        volatile long lastNanos;

        LineCounter(InputStream in, int payload, int messages) {
            super("mosquitto-sub-reader");
            setDaemon(true);
            this.in = in;
            this.payload = payload;
            this.messages = messages;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[64 * 1024];
            int lineLength = 0;
            StringBuilder odd = new StringBuilder(); // a line that is neither probe nor burst: an error message
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    long now = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] != '\n') {
                            if (lineLength++ < 200 && buffer[i] != 'x') {
                                odd.append((char) buffer[i]);
                            }
                            continue;
                        }
                        if (lineLength == payload && odd.isEmpty()) {
                            burstLine(now);
                        } else if (odd.toString().equals(PROBE) && lineLength == 1) {
                            probe();
                        } else {
                            fail("mosquitto_sub printed an unexpected line: " + odd);
                            return;
                        }
                        lineLength = 0;
                        odd.setLength(0);
                    }
                }
                fail("mosquitto_sub's output ended");
            } catch (IOException e) {
                fail("reading mosquitto_sub's output: " + e.getMessage());
            }
        }

        private void burstLine(long now) {
            synchronized (lock) {
                if (received == 0) {
                    firstNanos = now;
                }
                if (now == firstNanos) {
                    firstChunk++;
                }
                if (++received == messages) {
                    lastNanos = now;
                    lock.notifyAll();
                }
            }
        }

        private void probe() {
            synchronized (lock) {
                probed = true;
                lock.notifyAll();
            }
        }

        private void fail(String why) {
            synchronized (lock) {
                if (failure == null) {
                    failure = why;
                }
                lock.notifyAll();
            }
        }

        boolean probed() {
            synchronized (lock) {
                return probed;
            }
        }

        void awaitProbe(Duration limit) throws InterruptedException {
            synchronized (lock) {
                if (!probed && failure == null) {
                    lock.wait(limit.toMillis());
                }
            }
        }

        void awaitAll(Duration limit, Process sub, Process pub) throws InterruptedException {
            long end = System.nanoTime() + limit.toNanos();
            synchronized (lock) {
                while (received < messages && failure == null) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("mosquitto_sub printed " + received + " of " + messages
                                + " messages within " + limit + " (mosquitto_pub: " + exitOf(pub) + ")");
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                if (received < messages) {
                    throw new IllegalStateException(failure + " after " + received + " of " + messages
                            + " messages (mosquitto_sub: " + exitOf(sub) + ")");
                }
            }
        }
    }
}
