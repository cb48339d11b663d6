package dev.parley.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Figure 5: how many logins a second the server takes, and what one password hash costs on this
 * machine. The hash sets the ceiling: with Argon2id every login is one hash, so logins/s can at
 * best be cores / hash time.
 */
final class LoginLoad {
    /** The server's parameters (PasswordHasher): OWASP's minimum for Argon2id. */
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;

    private LoginLoad() {
    }

    static double run(int port, String user, String password, int logins, int clients) throws Exception {
        HttpClient http = ParleyWire.http();
        AtomicInteger left = new AtomicInteger(logins);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        ParleyWire.login(http, port, user, password).get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return logins / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * CPU milliseconds for one Argon2id hash with the server's parameters, on this JVM, as the
     * server's PasswordHasher computes it: init (which allocates and zeroes the 19 MiB) and the hash
     * itself. CPU time of this thread, not wall time, so that other work on the machine does not
     * make the ceiling look lower than what the cores could do.
     */
    static double hashMillis(int samples) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] salt = salt();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            hash(salt);
            times.add((threads.getCurrentThreadCpuTime() - t0) / 1e6);
        }
        return Stats.percentile(times, 50);
    }

    /**
     * Hashes a second with every core hashing at once ({@code each} hashes a thread), nothing else
     * done: the most logins the cores allow. Lower than cores ÷ one hash alone where the hashes'
     * memory (19 MiB each) does not fit the shared cache together.
     */
    static double parallelHashesPerSecond(int each) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < cores; c++) {
                workers.add(pool.submit(() -> {
                    byte[] salt = salt();
                    for (int i = 0; i < each; i++) {
                        hash(salt);
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(5, TimeUnit.MINUTES);
            }
            return cores * each / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return salt;
    }

    private static void hash(byte[] salt) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(MEMORY_KIB).withIterations(ITERATIONS).withParallelism(1).withSalt(salt).build());
        generator.generateBytes("correct horse".getBytes(StandardCharsets.UTF_8), new byte[32]);
    }
}
