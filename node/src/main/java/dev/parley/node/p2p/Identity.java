package dev.parley.node.p2p;

import dev.parley.common.files.PemFiles;
import dev.parley.common.identity.IdentityKeys;
import dev.parley.node.trust.OwnerOnly;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The node's long-term Ed25519 identity, kept in the data directory (private key owner-only),
 * and the self-signed TLS certificate over it that direct links present. The certificate is made
 * fresh at each start: peers pin the key inside it, not the certificate.
 */
public final class Identity {
    static final String KEY_FILE = "identity-key.pem";
    static final String PUBLIC_FILE = "identity-pub.pem";

    private final KeyPair keys;
    private final X509Certificate certificate;

    private Identity(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /**
     * Loads the identity from the data directory, or makes one. A private key file found readable
     * by others is made owner-only first, and {@code warnings} is told.
     */
    public static Identity loadOrCreate(Path dataDir, Consumer<String> warnings) throws IOException {
        Path keyFile = dataDir.resolve(KEY_FILE);
        Path pubFile = dataDir.resolve(PUBLIC_FILE);
        try {
            KeyPair keys;
            if (Files.exists(keyFile) && Files.exists(pubFile)) {
                OwnerOnly.file(keyFile, "your identity key").ifPresent(warnings);
                KeyFactory factory = KeyFactory.getInstance(IdentityKeys.ALGORITHM);
                PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(PemFiles.readPem(keyFile)));
                PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(PemFiles.readPem(pubFile)));
                keys = new KeyPair(pub, priv);
            } else {
                keys = KeyPairGenerator.getInstance(IdentityKeys.ALGORITHM).generateKeyPair();
                PemFiles.writeAtomically(keyFile, PemFiles.pem("PRIVATE KEY", keys.getPrivate().getEncoded()), true);
                PemFiles.writeAtomically(pubFile, PemFiles.pem("PUBLIC KEY", keys.getPublic().getEncoded()), false);
            }
            return new Identity(keys, selfSigned(keys));
        } catch (GeneralSecurityException | OperatorCreationException | IllegalArgumentException e) {
            throw new IOException("cannot load the identity key in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    public String encodedPublicKey() {
        return IdentityKeys.encode(keys.getPublic());
    }

    public String fingerprint() {
        return IdentityKeys.fingerprint(keys.getPublic());
    }

    /** Presents the identity certificate in TLS handshakes. */
    public X509KeyManager keyManager() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("identity", keys.getPrivate(), none, new X509Certificate[] {certificate});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, none);
            return (X509KeyManager) factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot use the identity key for TLS: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=parley-node");
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate())));
    }

}
