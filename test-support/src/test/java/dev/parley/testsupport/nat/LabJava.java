package dev.parley.testsupport.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The lab tests' small Java programs ({@link SourceEcho}, {@link NatPmpProbe}), run inside a lab namespace. */
final class LabJava {
    private LabJava() {
    }

    /** Runs {@code main} with {@code args} inside {@code namespace} to its end; its output, a line each. */
    static List<String> run(Namespace namespace, Class<?> main, String... args) {
        List<String> command = command(namespace, main);
        command.addAll(List.of(args));
        return SystemCommand.run(command).requireSuccess().output().lines().toList();
    }

    /** {@link SourceEcho} asking each target from {@code localPort} (0: any); one answer per target. */
    static List<String> ask(Namespace namespace, int localPort, String... targets) {
        List<String> args = new ArrayList<>(List.of("ask", Integer.toString(localPort)));
        args.addAll(List.of(targets));
        return run(namespace, SourceEcho.class, args.toArray(String[]::new));
    }

    /** Starts {@link SourceEcho} serving these ports inside {@code namespace}; returns once it listens. */
    static Process serve(Namespace namespace, int... ports) throws IOException {
        List<String> command = command(namespace, SourceEcho.class);
        command.add("serve");
        for (int port : ports) {
            command.add(Integer.toString(port));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return e.toString();
            }
        }).orTimeout(30, TimeUnit.SECONDS).join();
        assertEquals("listening", first, "the echo server started in " + namespace.name());
        return process;
    }

    private static List<String> command(Namespace namespace, Class<?> main) {
        List<String> command = new ArrayList<>(namespace.prefix());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), main.getName()));
        return command;
    }
}
