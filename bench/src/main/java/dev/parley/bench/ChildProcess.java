package dev.parley.bench;

import dev.parley.testsupport.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process (a node, mosquitto) with its output lines queued and its input writable; always
 * stopped. The server is the test kit's {@code ServerProcess}; nodes under load run here rather than
 * as the kit's {@code NodeProcess}, which keeps and parses every line a test may look back on.
 */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final PrintStream input;
    final long startedNanos = System.nanoTime();

    private ChildProcess(Process process) {
        this.process = process;
        this.input = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "bench-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** {@code java -jar jar [args]} with this JVM's java. */
    static ChildProcess start(Path jar, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-jar", jar.toString()));
        command.addAll(args);
        return exec(command);
    }

    static ChildProcess exec(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PARLEY_") || k.startsWith("QUARKUS_"));
        return new ChildProcess(builder.start());
    }

    long pid() {
        return process.pid();
    }

    void send(String line) {
        input.println(line);
    }

    /** The first line that matches, waiting at most {@code limit}; lines before it are dropped. */
    String await(Predicate<String> wanted, Duration limit, String what) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IllegalStateException("timed out after " + limit + " waiting for " + what
                        + (process.isAlive() ? "" : " (the process exited with " + process.exitValue() + ")"));
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    @Override
    public void close() {
        input.close();
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
