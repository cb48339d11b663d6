package dev.parley.bench;

import dev.parley.testsupport.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL 15 cluster from the Debian binaries: a temp directory, 127.0.0.1 and a
 * free port only, trust authentication, default durability (fsync and synchronous commit on, as
 * a real deployment runs). As root, the tools run as the {@code postgres} user, since the server
 * refuses to run as root. Stopped and deleted on close.
 */
final class PostgresCluster implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String USER = "postgres";
    private static final String DATABASE = "parley_bench";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path dir;
    private final Path data;
    final int port;
    private boolean started;

    /** Why a cluster cannot be started here, or null when it can. */
    static String unavailable() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return "PostgreSQL 15 is not installed (" + BIN + "; apt-get install postgresql-15)";
        }
        return null;
    }

    PostgresCluster() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("parley-bench-pg");
        data = dir.resolve("data");
        try {
            if (ROOT) {
                run(List.of("chown", USER + ":", dir.toString()), false);
            }
            run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                    "--encoding=UTF8", "--locale=C", "--no-instructions"), true);
            port = ServerProcess.freePort();
            run(List.of(BIN.resolve("pg_ctl").toString(), "start", "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                    "-w", "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + extraOptions()), true);
            started = true;
            run(List.of(BIN.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, DATABASE), true);
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** More server settings from the environment, for profiling (e.g. auto_explain). */
    private static String extraOptions() {
        String extra = System.getenv("PARLEY_BENCH_PG_OPTIONS");
        return extra == null || extra.isBlank() ? "" : " " + extra.strip();
    }

    /** Server options that point the rendezvous at this cluster. */
    List<String> serverOptions() {
        return List.of("--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, "--db-user", USER);
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && ROOT) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readNBytes(1 << 20);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish within 2 minutes");
        }
        if (p.exitValue() != 0) {
            String text = new String(out, StandardCharsets.UTF_8).strip();
            throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " failed (exit " + p.exitValue() + "): "
                    + text.lines().reduce((a, b) -> b).orElse(""));
        }
    }

    @Override
    public void close() {
        try {
            if (started) {
                started = false;
                run(List.of(BIN.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "30"), true);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: could not stop PostgreSQL in " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Scratch.deleteDirectory(dir);
            } catch (IOException e) {
                // best effort: a temp directory
            }
        }
    }
}
