package dev.parley.node.trust;

import dev.parley.common.tls.CertificateFingerprint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Decides whether to trust a server, before any password is sent to it. A certificate signed by a
 * CA the JDK trusts just works. A self-signed one is pinned by fingerprint on first use, after the
 * user (or {@code --trust-fingerprint}) confirms it; a changed one is refused.
 */
public final class ServerTrust {
    private static final int PROBE_TIMEOUT_MILLIS = 10_000;

    /** Asks the user whether to trust an unknown self-signed certificate. */
    @FunctionalInterface
    public interface Prompt {
        boolean confirm(String hostPort, String fingerprint);
    }

    /** How the session's TLS client is to check the server. */
    public sealed interface Decision {
        /** The JDK's CAs vouch for the server (and the host name is checked). */
        record CaSigned() implements Decision {
        }

        /** Only this certificate is accepted. */
        record Pinned(String fingerprint, boolean newlyTrusted) implements Decision {
        }
    }

    /** Refused: the message is what the user must read. */
    public static final class TrustRefused extends Exception {
        public TrustRefused(String message) {
            super(message);
        }
    }

    private final KnownServers known;

    public ServerTrust(KnownServers known) {
        this.known = known;
    }

    public Decision decide(String host, int port, Optional<String> trustFingerprint, Optional<Prompt> prompt)
            throws IOException, TrustRefused {
        Probe probe = probe(host, port);
        String hostPort = host + ":" + port;
        String actual = CertificateFingerprint.of(probe.chain()[0]);
        // A fingerprint the user gave is checked first and always: neither a CA nor a pin
        // remembered earlier may let a wrong one pass unnoticed (the password would follow).
        if (trustFingerprint.isPresent() && !trustFingerprint.get().equals(actual)) {
            throw new TrustRefused("the certificate of " + hostPort + " has fingerprint " + actual
                    + ", not the " + trustFingerprint.get() + " given with --trust-fingerprint; nothing was sent");
        }
        if (probe.caTrusted()) {
            return new Decision.CaSigned();
        }
        Optional<String> pinned = known.fingerprint(hostPort);
        if (pinned.isPresent()) {
            if (pinned.get().equals(actual)) {
                return new Decision.Pinned(actual, false);
            }
            throw new TrustRefused("WARNING: the certificate of " + hostPort + " has CHANGED.\n"
                    + "  remembered: " + pinned.get() + "\n"
                    + "  presented:  " + actual + "\n"
                    + "Someone may be intercepting the connection; nothing was sent. If the server operator confirms\n"
                    + "the new fingerprint, remove the line for " + hostPort + " from " + known.file() + " and connect again.");
        }
        if (trustFingerprint.isEmpty() && (prompt.isEmpty() || !prompt.get().confirm(hostPort, actual))) {
            throw new TrustRefused(prompt.isEmpty()
                    ? "the certificate of " + hostPort + " is self-signed and not yet trusted (" + actual
                            + "); check the fingerprint with the server's operator and pass --trust-fingerprint " + actual
                    : "certificate not trusted; nothing was sent");
        }
        known.remember(hostPort, actual);
        return new Decision.Pinned(actual, true);
    }

    private record Probe(X509Certificate[] chain, boolean caTrusted) {
    }

    /** One TLS handshake that only looks at the certificate chain; no request is sent. */
    private static Probe probe(String host, int port) throws IOException {
        X509TrustManager system = systemTrustManager();
        AtomicReference<X509Certificate[]> seen = new AtomicReference<>();
        AtomicReference<Boolean> trusted = new AtomicReference<>(false);
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain);
                try {
                    system.checkServerTrusted(chain, authType);
                    trusted.set(true);
                } catch (CertificateException e) {
                    trusted.set(false);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recorder}, new SecureRandom());
            try (var raw = new java.net.Socket()) {
                raw.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
                raw.setSoTimeout(PROBE_TIMEOUT_MILLIS);
                try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, false)) {
                    socket.startHandshake();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available: " + e.getMessage(), e);
        }
        if (seen.get() == null || seen.get().length == 0) {
            throw new IOException("the server at " + host + ":" + port + " presented no certificate");
        }
        return new Probe(seen.get(), trusted.get());
    }

    private static X509TrustManager systemTrustManager() throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IOException("the JDK has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the JDK's trusted CAs: " + e.getMessage(), e);
        }
    }
}
