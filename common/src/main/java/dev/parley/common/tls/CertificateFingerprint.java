package dev.parley.common.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The SHA-256 fingerprint of a certificate, written as {@code SHA256:} and unpadded base64 like
 * OpenSSH's, so the server can print it and a node can pin it.
 */
public final class CertificateFingerprint {
    public static final String PREFIX = "SHA256:";

    private CertificateFingerprint() {
    }

    public static String of(X509Certificate certificate) {
        try {
            return of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    public static String of(byte[] derCertificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(derCertificate);
            return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
