package dev.parley.testsupport.nat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs the small system commands that build a lab (ip, iptables, conntrack), each with a deadline. */
final class SystemCommand {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Where the network tools live, also when the tests' PATH lacks the sbin directories. */
    private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private SystemCommand() {
    }

    /** The absolute path of a tool (a name without a slash), or the name itself if not found. */
    static String tool(String name) {
        return find(name).map(Path::toString).orElse(name);
    }

    static Optional<Path> find(String name) {
        if (name.contains("/")) {
            return Optional.of(Path.of(name)).filter(Files::isExecutable);
        }
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SYSTEM_DIRS);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    static CommandResult run(List<String> command) {
        return run(command, null);
    }

    /** Runs {@code command} (its first word resolved by {@link #tool}), writing {@code stdin} to it if not null. */
    static CommandResult run(List<String> command, String stdin) {
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, tool(command.get(0)));
        Process process;
        try {
            process = new ProcessBuilder(resolved).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new CommandResult(resolved, -1, e.toString());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "lab-command-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // It exited without reading: its status says why.
        }
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return new CommandResult(resolved, -1, "did not finish within " + TIMEOUT);
            }
            reader.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CommandResult(resolved, -1, "interrupted");
        }
        synchronized (output) {
            return new CommandResult(resolved, process.exitValue(), output.toString(StandardCharsets.UTF_8));
        }
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        byte[] buffer = new byte[8192];
        try (from) {
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                synchronized (to) {
                    to.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The process ended: what was read is all there is.
        }
    }
}
