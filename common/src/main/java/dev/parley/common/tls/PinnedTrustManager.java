package dev.parley.common.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts exactly one server certificate, by SHA-256 fingerprint, on every handshake: a server
 * that comes back with another certificate is refused even in the middle of a reconnect loop.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final String fingerprint;

    public PinnedTrustManager(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate");
        }
        String actual = CertificateFingerprint.of(chain[0]);
        if (!actual.equals(fingerprint)) {
            throw new CertificateChangedException(fingerprint, actual);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    /** The pinned certificate was replaced: possibly an attack, always worth a loud refusal. */
    public static final class CertificateChangedException extends CertificateException {
        public CertificateChangedException(String expected, String actual) {
            super("server certificate CHANGED: expected " + expected + " but the server presented " + actual);
        }
    }
}
