package dev.parley.node.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * Tells a server address with the wrong scheme from the way connecting failed, so the user reads
 * "use https://…" instead of "Connection was closed". Plain HTTP sent to a TLS port is closed on
 * without an answer; a TLS handshake with a plain HTTP port gets an HTTP answer instead of TLS.
 * When a failure looks like either, one probe of the port settles it. The probes block (at most
 * {@link #PROBE_TIMEOUT_MILLIS} each): call this off the event loop.
 */
public final class SchemeMismatch {
    static final int PROBE_TIMEOUT_MILLIS = 3000;

    private SchemeMismatch() {
    }

    /** What to tell the user if {@code failure}, connecting to {@code server}, came from the wrong scheme. */
    public static Optional<String> hint(ServerAddress server, Throwable failure) {
        if (!server.tls() && !nothingThere(failure) && speaksTls(server)) {
            return Optional.of(server.host() + ":" + server.port() + " speaks TLS: use "
                    + new ServerAddress(server.host(), server.port(), true));
        }
        if (server.tls() && has(failure, SSLException.class) && speaksPlainHttp(server)) {
            return Optional.of(server.host() + ":" + server.port() + " does not speak TLS (a plain development server): use "
                    + new ServerAddress(server.host(), server.port(), false));
        }
        return Optional.empty();
    }

    /** Nobody listens, or the name does not resolve: no scheme would help. */
    private static boolean nothingThere(Throwable failure) {
        return has(failure, ConnectException.class) || has(failure, UnknownHostException.class);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The port answers a TLS handshake with a certificate: it speaks TLS. No certificate is trusted
     * for the probe (nothing is sent over it): one the default trust refuses, such as the server's
     * own self-signed one, still shows that TLS was spoken.
     */
    private static boolean speaksTls(ServerAddress server) {
        try (Socket raw = connect(server);
                SSLSocket tls = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                        .createSocket(raw, server.host(), server.port(), true)) {
            tls.startHandshake();
            return true;
        } catch (SSLHandshakeException e) {
            return has(e, CertificateException.class);
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    /** An HTTP request gets an HTTP answer: the port speaks plain HTTP. */
    private static boolean speaksPlainHttp(ServerAddress server) {
        try (Socket raw = connect(server)) {
            raw.getOutputStream().write(("HEAD / HTTP/1.0\r\nHost: " + server.host() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            byte[] start = in.readNBytes(5);
            return new String(start, StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }

    private static Socket connect(ServerAddress server) throws IOException {
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(server.host(), server.port()), PROBE_TIMEOUT_MILLIS);
            raw.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            return raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }
}
