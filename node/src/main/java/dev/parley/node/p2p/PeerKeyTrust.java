package dev.parley.node.p2p;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer's certificate only if the key in it is one the server vouched for during consent:
 * no CA, no names. Works for both ends of a link: a dialed peer must hold the key we expect; an
 * incoming one any key we currently accept.
 */
final class PeerKeyTrust extends X509ExtendedTrustManager {
    private final Predicate<byte[]> acceptedKey;

    PeerKeyTrust(Predicate<byte[]> acceptedKey) {
        this.acceptedKey = acceptedKey;
    }

    static PeerKeyTrust exactly(byte[] encodedKey) {
        return new PeerKeyTrust(k -> Arrays.equals(k, encodedKey));
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("peer presented no certificate");
        }
        chain[0].checkValidity();
        if (!acceptedKey.test(chain[0].getPublicKey().getEncoded())) {
            throw new CertificateException("peer presented a key nobody consented to");
        }
        try {
            chain[0].verify(chain[0].getPublicKey()); // proves the certificate was made with that key
        } catch (java.security.GeneralSecurityException e) {
            throw new CertificateException("peer certificate is not signed by its own key", e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
