package dev.parley.rendezvous.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.parley.rendezvous.launch.ApiCalls.get;
import static dev.parley.rendezvous.launch.ApiCalls.login;
import static dev.parley.rendezvous.launch.ApiCalls.post;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.common.tls.CertificateFingerprint;
import dev.parley.testsupport.LeftoverProcesses;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.SessionClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server as an operator runs it: {@code java -jar quarkus-run.jar} with command-line
 * options, TLS on by default with a pinned self-signed certificate, data kept across restarts.
 */
@ExtendWith(LeftoverProcesses.class)
class ServerProcessIT {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void servesTlsByDefaultWithThePrintedCertificate() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data)) {
            assertTrue(server.fingerprint.matches("SHA256:[A-Za-z0-9+/]{43}"), server.fingerprint);
            assertTrue(server.transcript().stream().anyMatch(l -> l.startsWith("Created a self-signed TLS certificate")),
                    "first start says it created the certificate");
            assertTrue(Files.isRegularFile(data.resolve("tls/server-cert.pem")));
            for (String dir : List.of("", "db", "tls")) {
                assertEquals("rwx------", mode(data.resolve(dir)), "data directory " + dir + " is owner-only");
            }
            for (String file : List.of("db/parley.mv.db", "tls/server-key.pem", "tls/server-cert.pem")) {
                assertEquals("rw-------", mode(data.resolve(file)), file + " is owner-only");
            }

            HttpResponse<String> health = get(server.client(), server, "/q/health/ready");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"UP\""), health.body());

            // A client that pinned another certificate refuses this one during the handshake.
            String other = CertificateFingerprint.PREFIX + Base64.getEncoder().withoutPadding().encodeToString(new byte[32]);
            IOException refused = assertThrows(IOException.class,
                    () -> get(ServerProcess.pinnedClient(other), server, "/q/health/ready"));
            assertTrue(causedBy(refused, SSLException.class), "handshake failure expected, got " + refused);
            // So does one trusting only the JDK's CAs.
            assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), server, "/q/health/ready"));

            // Plain HTTP to the TLS port gets no HTTP response.
            String answer = plainHttpExchange(server.port);
            assertFalse(answer.startsWith("HTTP/"), "plain HTTP must not be served, got: " + answer);
            assertTrue(server.isAlive());
        }
    }

    @Test
    void aDataDirectoryOpenToOthersIsMadeOwnerOnlyAtStart() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, "--plaintext")) {
            assertTrue(server.isAlive());
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("db/parley.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        try (ServerProcess server = ServerProcess.start(data, "--plaintext")) {
            assertEquals("rwx------", mode(data));
            assertEquals("rw-------", mode(data.resolve("db/parley.mv.db")));
            assertTrue(server.transcript().stream().anyMatch(l -> l.startsWith("WARNING: ") && l.contains("parley.mv.db")
                    && l.contains("owner-only now")), "says what it fixed: " + server.transcript());
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void restartKeepsTheCertificate() throws Exception {
        Path data = tmp.resolve("data");
        String first;
        String pem;
        try (ServerProcess server = ServerProcess.start(data)) {
            first = server.fingerprint;
            pem = Files.readString(data.resolve("tls/server-cert.pem"));
        }
        try (ServerProcess server = ServerProcess.start(data)) {
            assertEquals(first, server.fingerprint);
            assertEquals(pem, Files.readString(data.resolve("tls/server-cert.pem")));
            assertTrue(server.transcript().stream().noneMatch(l -> l.startsWith("Created a self-signed")),
                    "second start reuses the certificate: " + server.transcript());
            assertEquals(200, get(server.client(), server, "/q/health/ready").statusCode());
        }
    }

    @Test
    void offlineMessageSurvivesRestartAndStaysUntilAcknowledged() throws Exception {
        Path data = tmp.resolve("data");
        String text = "stored across a restart \u2713";
        String messageId;
        String fingerprint;
        try (ServerProcess server = ServerProcess.start(data)) {
            fingerprint = server.fingerprint;
            HttpClient http = server.client();
            assertEquals(201, post(http, server, "/api/register", "alice", "alice-password").statusCode());
            assertEquals(201, post(http, server, "/api/register", "bob", "bob-password").statusCode());
            String alice = login(http, server, "alice", "alice-password");
            try (SessionClient session = SessionClient.open(server, "alice", alice)) {
                assertEquals("alice", session.nextOfType("welcome").path("user").asText());
                session.sendJson(Map.of("type", "send", "id", "1", "to", "bob", "text", text));
                JsonNode sent = session.nextOfType("sent");
                assertEquals("1", sent.path("re").asText());
                assertEquals("offline", sent.path("via").asText(), sent.toString());
                assertEquals("bob", sent.path("to").asText());
                messageId = sent.path("messageId").asText();
                assertFalse(messageId.isEmpty());
            }
        }

        try (ServerProcess server = ServerProcess.start(data)) {
            assertEquals(fingerprint, server.fingerprint);
            HttpClient http = server.client();
            String bob = login(http, server, "bob", "bob-password");

            // Delivered after the restart, but not acknowledged: it must come again.
            try (SessionClient session = SessionClient.open(server, "bob", bob)) {
                JsonNode message = session.nextOfType("message");
                assertEquals(messageId, message.path("messageId").asText());
                assertEquals("alice", message.path("from").asText());
                assertEquals("bob", message.path("to").asText());
                assertEquals(text, message.path("text").asText());
                assertEquals("offline", message.path("via").asText());
            }
            try (SessionClient session = SessionClient.open(server, "bob", bob)) {
                JsonNode again = session.nextOfType("message");
                assertEquals(messageId, again.path("messageId").asText(), "same message, same id");
                assertEquals(text, again.path("text").asText());
                assertEquals("offline", again.path("via").asText());
                session.sendJson(Map.of("type", "ack", "messageId", messageId));
                // Frames are handled in order: the pong means the ack was handled.
                session.sendJson(Map.of("type", "ping", "id", "after-ack"));
                List<JsonNode> frames = session.until(SessionClient.type("pong"));
                assertEquals("after-ack", frames.get(frames.size() - 1).path("re").asText());
                assertTrue(frames.stream().noneMatch(SessionClient.type("message")), frames.toString());
            }
            try (SessionClient session = SessionClient.open(server, "bob", bob)) {
                session.nextOfType("welcome");
                session.sendJson(Map.of("type", "ping", "id", "p"));
                List<JsonNode> frames = session.until(SessionClient.type("pong"));
                assertEquals("p", frames.get(frames.size() - 1).path("re").asText());
                assertTrue(frames.stream().noneMatch(SessionClient.type("message")),
                        "nothing pending after the ack: " + frames);
            }
        }
    }

    @Test
    void helpListsTheOptions() throws Exception {
        ServerProcess.Exited help = ServerProcess.run(EXIT_TIMEOUT, "--help");
        assertEquals(0, help.code(), help.toString());
        String out = String.join("\n", help.stdout());
        for (String option : List.of("--port", "--host", "--data", "--credentials", "--no-registration",
                "--lockout-attempts", "--lockout-seconds", "--idle-timeout", "--heartbeat", "--db-url", "--db-user",
                "--tls-cert", "--tls-key", "--plaintext", "--help", "--version")) {
            assertTrue(out.contains(option), "help mentions " + option + ":\n" + out);
        }
        assertEquals(List.of(), help.stderr());
    }

    @Test
    void badCommandLinesExitWithStatus2AndAOneLineError() throws Exception {
        ServerProcess.Exited unknown = ServerProcess.run(EXIT_TIMEOUT, "--no-such-option");
        assertUsageError(unknown, "--no-such-option");

        Path data = tmp.resolve("data");
        ServerProcess.Exited credentials = ServerProcess.run(EXIT_TIMEOUT, "--data", data.toString(),
                "--credentials", "/no/such/file");
        assertUsageError(credentials, "/no/such/file");
        assertTrue(credentials.stderr().get(0).contains("credentials"), credentials.toString());

        Path cert = Files.writeString(tmp.resolve("cert.pem"), "not used");
        ServerProcess.Exited certOnly = ServerProcess.run(EXIT_TIMEOUT, "--data", data.toString(),
                "--tls-cert", cert.toString());
        assertUsageError(certOnly, "--tls-key");

        assertFalse(Files.exists(data), "a refused start must not create the data directory");
    }

    @Test
    void credentialsFileSeedsAccountsWhenRegistrationIsClosed() throws Exception {
        Path credentials = Files.writeString(tmp.resolve("credentials.txt"), String.join("\n",
                "# seeded accounts",
                "carol carol-secret",
                "this line has too-many fields",
                "",
                "dave   dave-secret",
                ""));
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"),
                "--credentials", credentials.toString(), "--no-registration")) {
            HttpClient http = server.client();
            assertFalse(login(http, server, "carol", "carol-secret").isEmpty());
            assertFalse(login(http, server, "dave", "dave-secret").isEmpty());
            assertEquals(401, post(http, server, "/api/login", "carol", "wrong-secret").statusCode());

            HttpResponse<String> register = post(http, server, "/api/register", "erin", "erin-secret");
            assertEquals(403, register.statusCode(), register.body());
            assertTrue(register.body().contains("registration-closed"), register.body());

            List<String> output = server.transcript();
            assertTrue(output.stream().anyMatch(l -> l.contains("skipped") && l.contains("line 3")),
                    "the bad line is reported by number: " + output);
            assertTrue(output.stream().noneMatch(l -> l.contains("carol-secret") || l.contains("dave-secret")
                    || l.contains("too-many")), "no credentials in the log: " + output);
        }
    }

    @Test
    void plaintextServesHttp() throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), "--plaintext")) {
            assertEquals("http", server.uri("/").getScheme());
            HttpResponse<String> health = get(server.client(), server, "/q/health/ready");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"UP\""), health.body());
            assertTrue(server.transcript().stream().anyMatch(l -> l.startsWith("WARNING: --plaintext")));
            assertTrue(server.transcript().stream().noneMatch(l -> l.startsWith(ServerProcess.FINGERPRINT_LINE)));
            assertFalse(Files.exists(tmp.resolve("data/tls")), "no certificate made for plaintext");
        }
    }

    @Test
    void servesAConfiguredCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X509Certificate certificate = certificateFor(pair);
        Path cert = tmp.resolve("configured-cert.pem");
        Path key = tmp.resolve("configured-key.pem");
        writePem(cert, certificate);
        writePem(key, pair.getPrivate());
        Path data = tmp.resolve("data");

        try (ServerProcess server = ServerProcess.start(data, "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            assertEquals(CertificateFingerprint.of(certificate), server.fingerprint);
            assertFalse(Files.exists(data.resolve("tls")), "no self-signed certificate made");
            HttpResponse<String> health = get(server.client(), server, "/q/health/ready");
            assertEquals(200, health.statusCode());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static void assertUsageError(ServerProcess.Exited exited, String mentioned) {
        assertEquals(2, exited.code(), exited.toString());
        assertFalse(exited.stderr().isEmpty(), exited.toString());
        String first = exited.stderr().get(0);
        assertTrue(first.startsWith("error: ") && first.contains(mentioned), exited.toString());
        assertEquals(1, exited.stderr().stream().filter(l -> l.startsWith("error:")).count(), exited.toString());
        assertTrue(exited.stderr().stream().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ")),
                "no stack trace: " + exited);
        assertTrue(exited.stderr().size() <= 2, "short: " + exited);
    }

    /** Sends a plain HTTP request to the port and returns whatever comes back before the close. */
    private static String plainHttpExchange(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // reset or silence: either way, no HTTP response
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate certificateFor(KeyPair pair) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=configured.parley.test");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII))) {
            writer.writeObject(object);
        }
    }
}
