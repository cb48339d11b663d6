package dev.parley.testsupport;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for loopback tests and benchmarks against certificates they just made themselves, or that
 * the test means to be refused by the other side: accepts any certificate, so it never belongs
 * outside tests and the bench. (To trust exactly one server, use {@link ServerProcess#pinning}.)
 */
public final class TrustAnything implements X509TrustManager {
    private TrustAnything() {
    }

    /** A TLS context ({@code protocol}, e.g. "TLS" or "TLSv1.3") with these keys, or none, that trusts whatever the other side presents. */
    public static SSLContext context(String protocol, KeyManager[] keys) {
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keys, new TrustManager[] {new TrustAnything()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + protocol + " context: " + e, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
