package dev.parley.bench;

import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.SessionSocket;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One rendezvous process and up to N logged-in wire sessions against it. It grows the number of
 * sessions in steps and, at each, measures what the server holds (heap after GC, RSS), how long a
 * login notice takes to reach every session, and the CPU it burns while everyone is idle (only
 * heartbeats flowing).
 *
 * <p>The server runs with {@code -Xmx1g} (see {@link #HEAP_LIMIT_MIB}), and hashes passwords
 * cheaply ({@code --hash-memory 1024 --hash-iterations 1}) so that 10,000 logins take seconds;
 * what a real hash costs is figure 5's business.
 */
final class CapacityBench implements AutoCloseable {
    static final String WATCHER = "watcher";
    private static final String PRESENCE = "{\"type\":\"presence\",";
    /** How each change in a presence frame starts, as the codec writes it. */
    private static final String CHANGE = "{\"user\":\"";
    private static final String WATCHER_FIELD = "\"user\":\"" + WATCHER + "\"";
    private static final Duration LIMIT = Duration.ofMinutes(10);
    /** Logins and WebSocket handshakes in flight at once while growing. */
    private static final int CONCURRENCY = 64;
    /**
     * The server runs with the target's heap (1 GiB) as its limit: that it holds the sessions at
     * all shows the target met, and its RSS then reflects what it needs rather than how far the
     * collector chose to grow the heap on a 24 GiB machine.
     */
    static final int HEAP_LIMIT_MIB = 1024;
    /** Roughly how many login notices one growing batch may cause (batch size × sessions online). */
    private static final int NOTICES_PER_BATCH = 200_000;
    /**
     * Sessions per HTTP client: each client has one selector thread, which decrypts every frame of
     * its sessions, so one client for 50,000 sessions would be the bottleneck being measured.
     */
    private static final int SESSIONS_PER_CLIENT = 5_000;
    /** Sockets and files the harness and the server need besides one per session. */
    private static final int SPARE_DESCRIPTORS = 1_000;

    private final Path work;
    private final Rendezvous server;
    final ProcessProbe probe;
    /** The load generator's HTTP clients; session i uses client i mod their number. */
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<SessionSocket> sessions = Collections.synchronizedList(new ArrayList<>());
    /** Presence notices about the sessions themselves (not the watcher). */
    private final AtomicLong notices = new AtomicLong();
    /** Sessions the server closed on us: any is a failed run. */
    private final AtomicReference<String> closedByServer = new AtomicReference<>();
    private volatile CountDownLatch watcherIn = new CountDownLatch(0);
    private volatile CountDownLatch watcherOut = new CountDownLatch(0);
    private final String watcherToken;
    /** Users 1..opened have a session (counted here, not from the list, which fills a bit later). */
    private int opened;

    CapacityBench(Path serverJar, int maxSessions) throws Exception {
        SystemLimits.requireFor(maxSessions + 1, SPARE_DESCRIPTORS);
        for (int i = 0; i < (maxSessions + SESSIONS_PER_CLIENT - 1) / SESSIONS_PER_CLIENT; i++) {
            clients.add(ParleyWire.http());
        }
        work = Files.createTempDirectory("parley-capacity");
        StringBuilder credentials = new StringBuilder(WATCHER + " " + password(WATCHER) + "\n");
        for (int i = 1; i <= maxSessions; i++) {
            credentials.append(user(i)).append(' ').append(password(user(i))).append('\n');
        }
        Path file = Files.writeString(work.resolve("credentials"), credentials);
        server = Rendezvous.start(serverJar, List.of("-Xmx" + HEAP_LIMIT_MIB + "m"), work.resolve("server"), file,
                List.of("--hash-memory", "1024", "--hash-iterations", "1"));
        probe = new ProcessProbe(server.process.pid());
        watcherToken = ParleyWire.login(clients.get(0), server.port, WATCHER, password(WATCHER)).get(1, TimeUnit.MINUTES);
    }

    private static String user(int i) {
        return String.format("u%05d", i);
    }

    private static String password(String user) {
        return "pw-" + user;
    }

    /**
     * Logs in and opens sessions until {@code n} are online; returns the seconds it took. Grows in
     * batches, each waiting for its own login notices, so the notices queued for any session stay
     * few: one load driver carries every session here, and a session whose heartbeat answer sits
     * behind thousands of notices would be dropped as dead.
     */
    double growTo(int n) throws Exception {
        long t0 = System.nanoTime();
        while (opened < n) {
            int batch = Math.max(10, Math.min(500, NOTICES_PER_BATCH / Math.max(1, opened)));
            int to = Math.min(n, opened + batch);
            openBatch(opened, to);
            opened = to;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        awaitNoticesSettled(n);
        return seconds;
    }

    private void openBatch(int from, int to) throws Exception {
        CountDownLatch welcomed = new CountDownLatch(to - from);
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int i = from + 1; i <= to && failure.get() == null; i++) {
            if (!inFlight.tryAcquire(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no login finished within " + LIMIT);
            }
            String user = user(i);
            HttpClient http = clients.get(i % clients.size());
            ParleyWire.login(http, server.port, user, password(user))
                    .thenCompose(token -> ParleyWire.openRaw(http, server.port, token, (wire, f) -> onFrame(f, welcomed)))
                    .whenComplete((session, e) -> {
                        inFlight.release();
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            sessions.add(session);
                        }
                    });
        }
        while (!welcomed.await(100, TimeUnit.MILLISECONDS)) {
            check(failure.get());
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (to - welcomed.getCount()) + " of " + to
                        + " sessions opened within " + LIMIT);
            }
        }
        // Welcomes can beat the handshake's completion: wait until every open has finished too.
        if (!inFlight.tryAcquire(CONCURRENCY, LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("session opens still unfinished after " + LIMIT);
        }
        check(failure.get());
        // Every pair of sessions yields at least one notice: the later login's reaches the earlier.
        long atLeast = (long) to * (to - 1) / 2;
        while (notices.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("login notices still missing after " + LIMIT + ": " + notices.get() + " of " + atLeast);
            }
            TimeUnit.MILLISECONDS.sleep(5);
            check(null);
        }
    }

    /**
     * Waits until the login notices of growing have all arrived: every pair of sessions yields at
     * least one (the later login's notice reaches the earlier session), and a notice can also
     * cross the other way when two logins race, so: at least n(n-1)/2, then no more for a moment.
     */
    private void awaitNoticesSettled(int n) throws InterruptedException {
        long atLeast = (long) n * (n - 1) / 2;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long last = -1;
        int quiet = 0;
        while (quiet < 3) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("login notices still arriving after " + LIMIT + ": " + notices.get() + " of at least " + atLeast);
            }
            TimeUnit.MILLISECONDS.sleep(100);
            long now = notices.get();
            quiet = now >= atLeast && now == last ? quiet + 1 : 0;
            last = now;
        }
        check(null);
    }

    /**
     * One more user logs in: milliseconds from opening its session until every session online has
     * its login notice. Then it leaves again, and we wait until everyone has heard that too.
     */
    double loginNoticeMillis() throws Exception {
        int n = opened;
        watcherIn = new CountDownLatch(n);
        watcherOut = new CountDownLatch(n);
        long t0 = System.nanoTime();
        SessionSocket watcher = ParleyWire.open(clients.get(0), server.port, watcherToken, m -> { }).get(1, TimeUnit.MINUTES);
        if (!watcherIn.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(watcherIn.getCount() + " of " + n + " sessions had no login notice after " + LIMIT);
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        watcher.close();
        if (!watcherOut.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(watcherOut.getCount() + " of " + n + " sessions had no logout notice after " + LIMIT);
        }
        check(null);
        return millis;
    }

    /** Server CPU while nothing but heartbeats flow, in percent of one core, over {@code window}. */
    double idleCpuPercent(Duration window) throws Exception {
        double c0 = probe.cpuSeconds();
        long t0 = System.nanoTime();
        // Measuring over a time window is the point here, not waiting for an event.
        TimeUnit.MILLISECONDS.sleep(window.toMillis());
        double c1 = probe.cpuSeconds();
        check(null);
        return 100 * (c1 - c0) / ((System.nanoTime() - t0) / 1e9);
    }

    private void onFrame(String frame, CountDownLatch welcomed) {
        // Growing to n sessions sends about n²/2 notices (in fewer frames): count those without decoding them.
        if (frame.startsWith(PRESENCE) && !frame.contains(WATCHER_FIELD)) {
            notices.addAndGet(occurrences(frame, CHANGE));
            return;
        }
        ServerMessage m = ParleyWire.decode(frame);
        if (m instanceof ServerMessage.Welcome) {
            welcomed.countDown();
        } else if (m instanceof ServerMessage.Presence p) {
            for (ServerMessage.PresenceChange change : p.events()) {
                if (!WATCHER.equals(change.user())) {
                    notices.incrementAndGet();
                } else if (change.event() == ServerMessage.PresenceEvent.login) {
                    watcherIn.countDown();
                } else {
                    watcherOut.countDown();
                }
            }
        } else if (m instanceof ServerMessage.Closing c) {
            closedByServer.compareAndSet(null, c.reason() + ": " + c.message());
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private void check(Throwable failure) {
        if (failure != null) {
            throw new IllegalStateException("a session failed to open: " + failure, failure);
        }
        if (closedByServer.get() != null) {
            throw new IllegalStateException("the server closed a session: " + closedByServer.get());
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (sessions) {
            sessions.forEach(SessionSocket::abort);
        }
        server.close();
        Scratch.deleteDirectory(work);
    }
}
