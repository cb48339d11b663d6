package dev.parley.bench;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for loopback-only load against certificates the harness itself just made: accepts any
 * certificate, so it never belongs outside the benchmarks.
 */
final class TrustAnything implements X509TrustManager {
    private TrustAnything() {
    }

    /** A TLS context with these keys (or none) that trusts whatever the other side presents. */
    static SSLContext context(String protocol, KeyManager[] keys) throws Exception {
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(keys, new TrustManager[] {new TrustAnything()}, new SecureRandom());
        return context;
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
