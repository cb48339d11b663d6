package dev.parley.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A packaged node ({@code node/target/parley-node.jar}) as a child process in scripted mode: the test
 * writes its standard input and waits for what it prints. Every stdout line is kept, in order,
 * parsed as JSON when it is JSON. {@link #await} takes the first line not taken yet that matches,
 * so a test can wait for events in any order; lines it skips stay available.
 */
public final class NodeProcess implements AutoCloseable {
    /** How long a test waits for one thing a node should print. */
    public static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<NodeProcess> LIVE = ConcurrentHashMap.newKeySet();

    /** One line the node printed: {@code json} is null if it was not JSON. */
    public record Output(int seq, String line, JsonNode json) {
        public String event() {
            return json == null || !json.hasNonNull("event") ? null : json.get("event").asText();
        }

        public String field(String name) {
            return json == null || !json.hasNonNull(name) ? null : json.get(name).asText();
        }

        public List<String> list(String name) {
            List<String> values = new ArrayList<>();
            if (json != null && json.get(name) != null) {
                json.get(name).forEach(v -> values.add(v.asText()));
            }
            return values;
        }

        public boolean is(String event) {
            return event.equals(event());
        }

        @Override
        public String toString() {
            return line.length() > 300 ? line.substring(0, 300) + "…(" + line.length() + " chars)" : line;
        }
    }

    public final String name;
    private final Process process;
    private final OutputStream stdin;
    private final List<Output> outputs = new ArrayList<>();
    private final Set<Integer> taken = ConcurrentHashMap.newKeySet();
    private final List<String> stderr = new ArrayList<>();
    private final Thread outPump;
    private final Thread errPump;
    private boolean ended;

    private NodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.outPump = pump(process.getInputStream(), true);
        this.errPump = pump(process.getErrorStream(), false);
    }

    /** Runs {@code java -jar parley-node.jar args…}. */
    public static NodeProcess start(String name, List<String> args) throws IOException {
        return start(name, List.of(), args);
    }

    /**
     * Runs {@code java -jar parley-node.jar args…} through {@code commandPrefix} (e.g. {@code ip netns
     * exec NS}, which execs it in place, so ending the process ends the node).
     */
    public static NodeProcess start(String name, List<String> commandPrefix, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(ServerProcess.java(),
                // Start-up speed matters more than peak speed here: several JVMs share two cores.
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // Options default from PARLEY_* variables; the test's command line must be all that counts.
        builder.environment().keySet().removeIf(n -> n.startsWith("PARLEY_"));
        NodeProcess node = new NodeProcess(name, builder.start());
        LIVE.add(node);
        return node;
    }

    public static Path jar() {
        String configured = System.getProperty("parley.node.jar");
        Path path = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("basedir", ".")).resolve("target/parley-node.jar");
        path = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the packaged node is missing: " + path + " does not exist; run ./mvnw package");
        }
        return path;
    }

    // ---- input ----

    /** Writes one line (UTF-8) to the node's standard input. */
    public void send(String line) {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] bytes) {
        try {
            stdin.write(bytes);
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError(name + ": cannot write to the node's input (" + e.getMessage() + ")\n" + transcript(), e);
        }
    }

    /** Ends the node's input, as a script reaching its end does. */
    public void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            // Already gone: nothing more can be written anyway.
        }
    }

    // ---- output ----

    /** Waits for the first line not taken yet that is a JSON event matching {@code wanted}, and takes it. */
    public Output await(Predicate<Output> wanted) {
        return await(wanted, EVENT_TIMEOUT, "a matching event");
    }

    public Output await(String event, Predicate<Output> wanted) {
        return await(o -> o.is(event) && wanted.test(o), EVENT_TIMEOUT, "a '" + event + "' event");
    }

    public Output await(String event) {
        return await(event, o -> true);
    }

    /** Waits for a plain-text line. */
    public Output awaitLine(Predicate<String> wanted) {
        return await(o -> wanted.test(o.line()), EVENT_TIMEOUT, "a matching line");
    }

    public Output await(Predicate<Output> wanted, Duration timeout, String what) {
        return await(wanted, 0, timeout, what);
    }

    private synchronized Output await(Predicate<Output> wanted, int fromSeq, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = fromSeq; i < outputs.size(); i++) {
                Output o = outputs.get(i);
                if (!taken.contains(i) && wanted.test(o)) {
                    taken.add(i);
                    return o;
                }
            }
            if (ended) {
                throw new AssertionError(name + ": output ended (exit " + exitValueOrNone() + ") without " + what
                        + "\n" + transcript());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": no " + what + " within " + timeout + "\n" + transcript());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(name + ": interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Like {@link #await}, but empty if nothing matched within {@code timeout} or output ended:
     * for an absence that only time can show (a background retry that must not happen).
     */
    public synchronized java.util.Optional<Output> poll(Predicate<Output> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = 0; i < outputs.size(); i++) {
                Output o = outputs.get(i);
                if (!taken.contains(i) && wanted.test(o)) {
                    taken.add(i);
                    return java.util.Optional.of(o);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                return java.util.Optional.empty();
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(name + ": interrupted", e);
            }
        }
    }

    /**
     * Proves the node has NOT printed (and not taken) anything matching {@code unwanted} up to now:
     * asks the server something ({@code blocked}) and waits for the answer, so that whatever the
     * server had already pushed to this node is printed before it. A push caused by another user's
     * command is only ordered before this if that command was answered first: wait for the sender's
     * {@code sent} / {@code broadcast-sent} before calling this.
     */
    public void assertNone(Predicate<Output> unwanted, String what) {
        int before;
        synchronized (this) {
            before = outputs.size();
        }
        send("blocked");
        Output barrier = await(o -> o.is("block-list"), before, EVENT_TIMEOUT, "answer to 'blocked' (the barrier)");
        synchronized (this) {
            for (int i = 0; i < barrier.seq(); i++) {
                Output o = outputs.get(i);
                if (!taken.contains(i) && unwanted.test(o)) {
                    throw new AssertionError(name + ": should not have got " + what + ", but printed: " + o
                            + "\n" + transcript());
                }
            }
        }
    }

    /** Every line printed so far. */
    public synchronized List<Output> outputs() {
        return List.copyOf(outputs);
    }

    /** Fails if any stdout line was not a JSON object with an "event" and a "ts". */
    public synchronized void assertAllJson() {
        for (Output o : outputs) {
            if (o.json() == null || !o.json().isObject() || o.event() == null || !o.json().hasNonNull("ts")) {
                throw new AssertionError(name + ": not a JSON event line: " + o + "\n" + transcript());
            }
        }
    }

    // ---- the process ----

    /** Waits for the node to exit (and for its output to end); returns its exit status. */
    public int exitCode(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + ": still running after " + timeout + "\n" + transcript());
            }
            outPump.join(timeout.toMillis());
            errPump.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted while waiting for exit", e);
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    public int exitCode() {
        return exitCode(EXIT_TIMEOUT);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL, as a crash; returns once the process is gone and all it printed has been read.
     * Through its handle: {@code Process.destroyForcibly()} also closes our end of its output at
     * once, and lines still in the pipe were lost ("Stream closed") — lines it printed, and
     * recorded as shown, that a test then counted as never shown.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
        exitCode();
    }

    /** Ends input, gives the node a moment to log out, then kills it if needed. */
    @Override
    public void close() {
        LIVE.remove(this);
        closeInput();
        if (Boolean.getBoolean("parley.e2e.verbose")) {
            System.out.println(transcript());
        }
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills any node a test left running. */
    public static void killAll() {
        for (NodeProcess node : List.copyOf(LIVE)) {
            node.process.destroyForcibly();
            LIVE.remove(node);
        }
    }

    public synchronized String transcript() {
        String out = outputs.stream().map(o -> "  " + o).collect(Collectors.joining("\n"));
        String err;
        synchronized (stderr) {
            err = stderr.stream().map(l -> "  [stderr] " + l).collect(Collectors.joining("\n"));
        }
        return "--- " + name + " output ---\n" + out + (err.isEmpty() ? "" : "\n" + err);
    }

    private String exitValueOrNone() {
        return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
    }

    private Thread pump(InputStream stream, boolean stdout) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (stdout) {
                        added(line);
                    } else {
                        synchronized (stderr) {
                            stderr.add(line);
                        }
                    }
                }
            } catch (IOException e) {
                synchronized (stderr) {
                    stderr.add("<unreadable: " + e + ">");
                }
            } finally {
                if (stdout) {
                    synchronized (this) {
                        ended = true;
                        notifyAll();
                    }
                }
            }
        }, "node-" + name + (stdout ? "-out" : "-err"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void added(String line) {
        JsonNode json = null;
        if (line.startsWith("{")) {
            try {
                json = JSON.readTree(line);
            } catch (IOException e) {
                // Kept as a plain line; assertAllJson() reports it.
            }
        }
        synchronized (this) {
            outputs.add(new Output(outputs.size(), line, json));
            notifyAll();
        }
    }
}
