package dev.parley.rendezvous.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.common.tls.CertificateFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateTest {
    @TempDir
    Path tmp;

    @Test
    void selfSignedCreatesAMatchingCertificateAndKey() throws Exception {
        Path dir = tmp.resolve("tls");
        ServerCertificate made = ServerCertificate.selfSigned(dir);

        assertTrue(made.created());
        assertEquals(dir.resolve("server-cert.pem"), made.certificate());
        assertEquals(dir.resolve("server-key.pem"), made.key());
        X509Certificate certificate = readCertificate(made.certificate());
        assertEquals(CertificateFingerprint.of(certificate), made.fingerprint());
        assertTrue(made.fingerprint().startsWith(CertificateFingerprint.PREFIX));
        certificate.checkValidity();
        assertTrue(certificate.getSubjectAlternativeNames().contains(List.of(7, "127.0.0.1")),
                "127.0.0.1 is an IP SAN: " + certificate.getSubjectAlternativeNames());

        // The key is PKCS#8 PEM and belongs to the certificate.
        String pem = Files.readString(made.key(), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
        byte[] data = "parley".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        assertTrue(verifier.verify(signature), "key and certificate are a pair");

        try (var leftovers = Files.list(dir)) {
            assertEquals(2, leftovers.count(), "no temporary files left behind");
        }
    }

    @Test
    void keyIsReadableByTheOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        ServerCertificate made = ServerCertificate.selfSigned(tmp.resolve("tls"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.key())));
    }

    @Test
    void secondCallReusesTheCertificate() throws Exception {
        Path dir = tmp.resolve("tls");
        ServerCertificate first = ServerCertificate.selfSigned(dir);
        String certificate = Files.readString(first.certificate());
        String key = Files.readString(first.key());

        ServerCertificate second = ServerCertificate.selfSigned(dir);
        assertFalse(second.created());
        assertEquals(first.fingerprint(), second.fingerprint());
        assertEquals(certificate, Files.readString(second.certificate()));
        assertEquals(key, Files.readString(second.key()));
    }

    @Test
    void configuredUsesTheGivenFiles() throws Exception {
        ServerCertificate made = ServerCertificate.selfSigned(tmp.resolve("elsewhere"));
        ServerCertificate configured = ServerCertificate.configured(made.certificate(), made.key());
        assertFalse(configured.created());
        assertEquals(made.fingerprint(), configured.fingerprint());
        assertEquals(made.certificate(), configured.certificate());
        assertEquals(made.key(), configured.key());
    }

    @Test
    void configuredWithMissingFilesSaysWhichOne() throws Exception {
        Path missingCert = tmp.resolve("missing-cert.pem");
        Path missingKey = tmp.resolve("missing-key.pem");
        IOException noCert = assertThrows(IOException.class, () -> ServerCertificate.configured(missingCert, missingKey));
        assertTrue(noCert.getMessage().contains("certificate") && noCert.getMessage().contains(missingCert.toString()),
                noCert.getMessage());

        ServerCertificate made = ServerCertificate.selfSigned(tmp.resolve("tls"));
        IOException noKey = assertThrows(IOException.class,
                () -> ServerCertificate.configured(made.certificate(), missingKey));
        assertTrue(noKey.getMessage().contains("key") && noKey.getMessage().contains(missingKey.toString()),
                noKey.getMessage());
    }

    @Test
    void configuredRejectsAFileThatIsNotACertificate() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("cert.pem"), "hello\n");
        Path key = Files.writeString(tmp.resolve("key.pem"), "irrelevant\n");
        IOException e = assertThrows(IOException.class, () -> ServerCertificate.configured(notPem, key));
        assertTrue(e.getMessage().contains(notPem.toString()), e.getMessage());
    }

    private static X509Certificate readCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
