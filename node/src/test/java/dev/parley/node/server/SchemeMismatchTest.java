package dev.parley.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.node.trust.KnownServers;
import dev.parley.node.trust.ServerTrust;
import dev.parley.testsupport.SelfSignedCert;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server address with the wrong scheme, against real listeners on 127.0.0.1 (Vert.x, on Netty as
 * the server is): the user is told which scheme the server speaks, not "Connection was closed".
 */
class SchemeMismatchTest {
    @TempDir
    Path dir;

    private final Vertx serverVertx = Vertx.vertx();
    private final ProtocolCodec codec = new ProtocolCodec();

    @AfterEach
    void stop() throws Exception {
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void plainHttpToATlsServerIsToldToUseHttps() throws Exception {
        int port = listen(new HttpServerOptions().setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(selfSigned())));

        String refusal = login("http://127.0.0.1:" + port);
        assertEquals("127.0.0.1:" + port + " speaks TLS: use https://127.0.0.1:" + port, refusal);
    }

    @Test
    void tlsToAPlainServerIsToldToUseHttp() throws Exception {
        int port = listen(new HttpServerOptions());
        ServerAddress server = ServerAddress.parse("https://127.0.0.1:" + port);
        String expected = "127.0.0.1:" + port + " does not speak TLS (a plain development server): use http://127.0.0.1:" + port;

        // The node first checks the certificate (NodeMain reports what fails there) ...
        IOException probe = assertThrows(IOException.class, () -> new ServerTrust(new KnownServers(dir.resolve("known")))
                .decide("127.0.0.1", port, Optional.empty(), Optional.empty()));
        assertEquals(Optional.of(expected), SchemeMismatch.hint(server, probe));
        // ... and its HTTP client says the same.
        assertEquals(expected, login(server.toString()));
    }

    @Test
    void otherFailuresAreReportedAsTheyAre() throws Exception {
        // Accepts and hangs up at once: closed like a TLS port would, but it speaks no TLS.
        NetServer hangsUp = serverVertx.createNetServer().connectHandler(socket -> socket.close());
        int port = hangsUp.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        String refusal = login("http://127.0.0.1:" + port);
        assertTrue(refusal.startsWith("cannot reach the server: "), refusal);

        hangsUp.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String nobody = login("http://127.0.0.1:" + port);
        assertTrue(nobody.startsWith("cannot reach the server: ") && nobody.contains("refused"), nobody);
    }

    /** Logs in as the node does, and returns the refusal the user would read. */
    private String login(String address) {
        Vertx nodeVertx = Vertx.vertx();
        ServerAddress server = ServerAddress.parse(address);
        try (Connection connection = new Connection(nodeVertx,
                new RendezvousClient(nodeVertx, server, new ServerTrust.Decision.CaSigned(), codec), codec)) {
            var outcome = connection.login("alice", "password");
            return assertInstanceOf(Connection.LoginOutcome.Refused.class, outcome).message();
        }
    }

    private int listen(HttpServerOptions options) throws Exception {
        HttpServer server = serverVertx.createHttpServer(options).requestHandler(r -> r.response().setStatusCode(404).end());
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static KeyManagerFactory selfSigned() throws Exception {
        return SelfSignedCert.create().keyManagers();
    }
}
