package dev.parley.node.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

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

    /** A TLS handshake completes: the port speaks TLS. Any certificate does; nothing is sent after it. */
    private static boolean speaksTls(ServerAddress server) {
        X509TrustManager anyCertificate = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // Only whether it speaks TLS is asked: the session itself decides whom to trust.
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try (Socket raw = connect(server)) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anyCertificate}, new SecureRandom());
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, server.host(), server.port(), true)) {
                tls.startHandshake();
                return true;
            }
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
