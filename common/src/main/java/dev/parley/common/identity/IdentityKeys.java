package dev.parley.common.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A node's long-term identity is an Ed25519 key pair. On the wire its public key travels as
 * base64 of the X.509 SubjectPublicKeyInfo; people compare its fingerprint, {@code SHA256:} and
 * unpadded base64 like the server certificate's.
 */
public final class IdentityKeys {
    public static final String ALGORITHM = "Ed25519";
    /** An Ed25519 SubjectPublicKeyInfo is 44 bytes, 60 characters of base64. */
    public static final int MAX_ENCODED_CHARS = 100;

    private IdentityKeys() {
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Parses an encoded Ed25519 public key; IllegalArgumentException with a one-line reason otherwise. */
    public static PublicKey decode(String encoded) {
        if (encoded == null || encoded.isEmpty() || encoded.length() > MAX_ENCODED_CHARS) {
            throw new IllegalArgumentException("not an identity key");
        }
        try {
            byte[] der = Base64.getDecoder().decode(encoded);
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 identity key");
        }
    }

    public static String fingerprint(PublicKey key) {
        return fingerprint(key.getEncoded());
    }

    /** The fingerprint of an encoded key (as sent on the wire). */
    public static String fingerprint(String encoded) {
        return fingerprint(decode(encoded).getEncoded());
    }

    /** The fingerprint of a key in its X.509 SPKI encoding (as a certificate carries it). */
    public static String fingerprint(byte[] spki) {
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
