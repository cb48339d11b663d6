package dev.parley.node.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on 127.0.0.1 for the P2P tests: stands between a dialing node and a peer's
 * real port, can slow the dialer-to-peer direction down to a byte rate (so a burst is still in
 * flight when the test cuts it), and can cut every connection it carries, while going on
 * accepting new ones; or hold what the target sends back. Two daemon threads a connection, at most
 * {@link #MAX_CONNECTIONS} at once.
 */
final class TcpProxy implements AutoCloseable {
    static final int MAX_CONNECTIONS = 8;

    private final ServerSocket server;
    private final int targetPort;
    private final long bytesPerSecond;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;
    /** Guarded by itself: while true, what the target sends back is read but not passed on. */
    private final boolean[] holding = {false};

    /** Forwards to 127.0.0.1:{@code targetPort}; {@code bytesPerSecond} limits the client-to-target direction. */
    TcpProxy(int targetPort, long bytesPerSecond) throws IOException {
        this.server = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
        this.targetPort = targetPort;
        this.bytesPerSecond = bytesPerSecond;
        this.acceptor = new Thread(this::acceptLoop, "proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /**
     * From now on, what the target sends back is held (the client's side still flows): the
     * client's requests reach the target, their answers do not reach the client.
     */
    void holdAnswers() {
        synchronized (holding) {
            holding[0] = true;
        }
    }

    /** Passes on what was held, and everything after it (call {@link #cut()} first to drop it instead). */
    void releaseAnswers() {
        synchronized (holding) {
            holding[0] = false;
            holding.notifyAll();
        }
    }

    /** Closes every connection carried now, both ends; new ones are still accepted. */
    int cut() {
        int n = 0;
        for (Socket s : Set.copyOf(open)) {
            quietly(s);
            open.remove(s);
            n++;
        }
        synchronized (holding) {
            holding.notifyAll(); // a pump holding answers for a closed connection stops waiting
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        cut();
        acceptor.join(5000);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (open.size() >= 2 * MAX_CONNECTIONS) {
                quietly(client);
                continue;
            }
            accepted.incrementAndGet();
            Socket target = new Socket();
            try {
                target.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), targetPort), 3000);
            } catch (IOException e) {
                quietly(client);
                quietly(target);
                continue;
            }
            open.add(client);
            open.add(target);
            pump(client, target, bytesPerSecond, "up");
            pump(target, client, 0, "down");
        }
    }

    /** Copies {@code from} to {@code to} (at most {@code rate} bytes a second if rate > 0); closes both at the end. */
    private void pump(Socket from, Socket to, long rate, String direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[rate > 0 ? 256 : 8192];
            long started = System.nanoTime();
            long total = 0;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (direction.equals("down")) {
                        synchronized (holding) {
                            while (holding[0] && !from.isClosed()) {
                                holding.wait(); // released by releaseAnswers(); a cut makes the write below fail
                            }
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    total += n;
                    if (rate > 0) {
                        // Pacing, not waiting for anything: the rate is the point.
                        long due = started + total * 1_000_000_000L / rate;
                        long ahead = due - System.nanoTime();
                        if (ahead > 0) {
                            TimeUnit.NANOSECONDS.sleep(ahead);
                        }
                    }
                }
            } catch (IOException e) {
                // Cut, or the other side went away.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                quietly(from);
                quietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-" + direction + "-" + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
