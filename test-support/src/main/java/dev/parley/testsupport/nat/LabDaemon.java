package dev.parley.testsupport.nat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program that runs in a lab namespace for as long as the lab does (miniupnpd, the STUN
 * responder): started, its output (stdout and stderr merged) read all along so it never blocks
 * on a full pipe and kept for the error message, and counted as started once it prints its ready
 * line. {@link #close()} kills it; deleting its namespace would too.
 */
final class LabDaemon implements AutoCloseable {
    private static final int KEPT_LINES = 200;

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    /** Whether its output is still open: a process that ended may still have lines on the way. */
    private boolean reading = true;

    private LabDaemon(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::read, "lab-daemon-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} and waits (at most {@code timeout}) for a line that says it is ready. */
    static LabDaemon start(String name, List<String> command, Predicate<String> ready, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
        LabDaemon daemon = new LabDaemon(name, process);
        try {
            daemon.awaitLine(ready, timeout);
            return daemon;
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed so far (the last {@value #KEPT_LINES} lines). */
    synchronized String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void awaitLine(Predicate<String> ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.stream().noneMatch(ready)) {
            long left = deadline - System.nanoTime();
            if (!process.isAlive() && !reading) {
                throw new IllegalStateException(name + " ended before it was ready:\n" + String.join("\n", lines));
            }
            if (left <= 0) {
                throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + String.join("\n", lines));
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.remove(0);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The process ended.
        } finally {
            synchronized (this) {
                reading = false;
                notifyAll();
            }
        }
    }
}
