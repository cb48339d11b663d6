package dev.parley.bench;

import dev.parley.testsupport.SelfSignedCert;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The ceilings for a direct link on this JDK: an echo of the same payload over a plain TCP socket
 * and over a bare TLS 1.3 socket, on loopback. Latency is one payload at a time; throughput is
 * pipelined, a writer and a reader on separate threads.
 */
public final class EchoBaseline {
    private EchoBaseline() {
    }

    public static Measurement tcp(int payload, int messages) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = echoServer(server);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                client.setTcpNoDelay(true);
                return measure(client, payload, messages);
            } finally {
                server.close();
                echo.join(5000);
            }
        }
    }

    public static Measurement tls(int payload, int messages) throws Exception {
        SSLContext context = selfSignedContext();
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setEnabledProtocols(new String[] {"TLSv1.3"});
            Thread echo = echoServer(server);
            try (SSLSocket client = (SSLSocket) context.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                client.setEnabledProtocols(new String[] {"TLSv1.3"});
                client.setTcpNoDelay(true);
                client.startHandshake();
                return measure(client, payload, messages);
            } finally {
                server.close();
                echo.join(5000);
            }
        }
    }

    private static Measurement measure(Socket client, int payload, int messages) throws Exception {
        client.setSoTimeout(30_000);
        byte[] data = new byte[payload];
        new SecureRandom().nextBytes(data);
        OutputStream out = client.getOutputStream();
        DataInputStream in = new DataInputStream(client.getInputStream());
        byte[] back = new byte[payload];
        // Latency: one at a time.
        List<Double> rtts = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            long t0 = System.nanoTime();
            out.write(data);
            out.flush();
            in.readFully(back);
            rtts.add((System.nanoTime() - t0) / 1000.0);
        }
        // Throughput: pipelined.
        long t0 = System.nanoTime();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    out.write(data);
                }
                out.flush();
            } catch (IOException e) {
                // the reader fails too
            }
        });
        writer.start();
        for (int i = 0; i < messages; i++) {
            in.readFully(back);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writer.join(10_000);
        return new Measurement(messages / seconds, Stats.percentile(rtts, 50), Stats.percentile(rtts, 99));
    }

    private static Thread echoServer(ServerSocket server) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buffer = new byte[16384];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // closed at the end of the measurement
            }
        }, "echo");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A throwaway certificate, trusted by the client side of the same context. */
    private static SSLContext selfSignedContext() throws Exception {
        return SelfSignedCert.create().context("TLSv1.3");
    }
}
