package dev.parley.rendezvous.launch;

import dev.parley.common.files.PemFiles;
import dev.parley.common.tls.CertificateFingerprint;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's TLS identity: a PEM certificate and key. On first start with no certificate
 * configured, a self-signed one is made in the data directory and kept for later starts, so its
 * fingerprint stays the one nodes pinned.
 */
public record ServerCertificate(Path certificate, Path key, String fingerprint, boolean created) {
    static final String CERT_FILE = "server-cert.pem";
    static final String KEY_FILE = "server-key.pem";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    /** Uses the given PEM pair; reads the certificate to compute its fingerprint. */
    public static ServerCertificate configured(Path certificate, Path key) throws IOException {
        if (!Files.isReadable(certificate)) {
            throw new IOException("cannot read TLS certificate " + certificate);
        }
        if (!Files.isReadable(key)) {
            throw new IOException("cannot read TLS key " + key);
        }
        return new ServerCertificate(certificate, key, fingerprintOf(certificate), false);
    }

    /** The self-signed pair in {@code dir}, made now if it does not exist yet. */
    public static ServerCertificate selfSigned(Path dir) throws IOException {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            return new ServerCertificate(cert, key, fingerprintOf(cert), false);
        }
        Files.createDirectories(dir);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate x509 = sign(pair);
            // Key first and owner-only; both land by rename, so a crash never leaves half a pair.
            PemFiles.writeAtomically(key, PemFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            PemFiles.writeAtomically(cert, PemFiles.pem("CERTIFICATE", x509.getEncoded()), false);
            return new ServerCertificate(cert, key, CertificateFingerprint.of(x509), true);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(KeyPair pair) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=parley-rendezvous");
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.equals("localhost")) {
                names.add(new GeneralName(GeneralName.dNSName, host));
            }
        } catch (IOException e) {
            // No resolvable host name: the node pins the fingerprint anyway.
        }
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String fingerprintOf(Path pemCertificate) throws IOException {
        try (var in = Files.newInputStream(pemCertificate)) {
            var x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return CertificateFingerprint.of(x509);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("not a PEM X.509 certificate: " + pemCertificate, e);
        }
    }
}
