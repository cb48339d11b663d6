package dev.parley.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.tls.CertificateFingerprint;
import dev.parley.common.tls.PinnedTrustManager;
import dev.parley.testsupport.SelfSignedCert;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust on first use against a real TLS listener with a self-signed certificate. */
class ServerTrustTest {
    @TempDir
    Path dir;

    private SSLServerSocket listener;
    private Thread acceptor;
    private String fingerprint;
    private KnownServers known;
    private ServerTrust trust;

    @BeforeEach
    void startTlsListener() throws Exception {
        SelfSignedCert cert = SelfSignedCert.create();
        fingerprint = CertificateFingerprint.of(cert.certificate());
        KeyManagerFactory kmf = cert.keyManagers();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                    s.getInputStream().read(); // until the probe hangs up
                } catch (IOException e) {
                    // probe closed, or listener closed
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        known = new KnownServers(dir.resolve("known_servers"));
        trust = new ServerTrust(known);
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        listener.close();
        acceptor.join(5000);
    }

    private String hostPort() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private ServerTrust.Decision decide(Optional<String> given, Optional<ServerTrust.Prompt> prompt) throws Exception {
        return trust.decide("127.0.0.1", listener.getLocalPort(), given, prompt);
    }

    @Test
    void theUserConfirmsOnceAndThePinIsRemembered() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        var first = decide(Optional.empty(), Optional.of((hp, fp) -> {
            asked.incrementAndGet();
            assertEquals(fingerprint, fp);
            return true;
        }));
        assertEquals(new ServerTrust.Decision.Pinned(fingerprint, true), first);
        assertEquals(Optional.of(fingerprint), known.fingerprint(hostPort()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(known.file())));

        var second = decide(Optional.empty(), Optional.of((hp, fp) -> {
            asked.incrementAndGet();
            return false;
        }));
        assertEquals(new ServerTrust.Decision.Pinned(fingerprint, false), second);
        assertEquals(1, asked.get(), "asked only the first time");
    }

    @Test
    void declinedOrUnattendedFirstContactIsRefused() {
        var declined = assertThrows(ServerTrust.TrustRefused.class, () -> decide(Optional.empty(), Optional.of((hp, fp) -> false)));
        assertEquals("certificate not trusted; nothing was sent", declined.getMessage());
        var script = assertThrows(ServerTrust.TrustRefused.class, () -> decide(Optional.empty(), Optional.empty()));
        assertTrue(script.getMessage().contains("--trust-fingerprint " + fingerprint), script.getMessage());
    }

    @Test
    void aScriptMayPinTheRightFingerprintOnly() throws Exception {
        var wrong = assertThrows(ServerTrust.TrustRefused.class,
                () -> decide(Optional.of("SHA256:somethingElse"), Optional.empty()));
        assertTrue(wrong.getMessage().contains("not the SHA256:somethingElse"), wrong.getMessage());
        assertEquals(Optional.empty(), known.fingerprint(hostPort()));
        assertInstanceOf(ServerTrust.Decision.Pinned.class, decide(Optional.of(fingerprint), Optional.empty()));
    }

    @Test
    void aWrongGivenFingerprintIsRefusedEvenWhenTheServerIsAlreadyPinned() throws Exception {
        known.remember(hostPort(), fingerprint);
        var wrong = assertThrows(ServerTrust.TrustRefused.class,
                () -> decide(Optional.of("SHA256:somethingElse"), Optional.empty()));
        assertTrue(wrong.getMessage().contains("not the SHA256:somethingElse given with --trust-fingerprint"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains(fingerprint), wrong.getMessage());
        assertEquals(Optional.of(fingerprint), known.fingerprint(hostPort()), "the pin stays");
        assertEquals(new ServerTrust.Decision.Pinned(fingerprint, false), decide(Optional.of(fingerprint), Optional.empty()),
                "the right one still passes");
    }

    @Test
    void aChangedCertificateIsRefusedLoudly() throws Exception {
        known.remember(hostPort(), "SHA256:theOneWeSawBefore");
        var changed = assertThrows(ServerTrust.TrustRefused.class,
                () -> decide(Optional.of(fingerprint), Optional.of((hp, fp) -> true)));
        assertTrue(changed.getMessage().startsWith("WARNING: the certificate of " + hostPort() + " has CHANGED"),
                changed.getMessage());
        assertTrue(changed.getMessage().contains(fingerprint));
        assertEquals(Optional.of("SHA256:theOneWeSawBefore"), known.fingerprint(hostPort()), "the pin is not replaced");
    }

    @Test
    void thePinnedTrustManagerRefusesAnEmptyChain() {
        assertThrows(java.security.cert.CertificateException.class,
                () -> new PinnedTrustManager(fingerprint).checkServerTrusted(new X509Certificate[0], "EC"));
    }
}
