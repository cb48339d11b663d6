package dev.parley.node.p2p;

import static dev.parley.node.p2p.Futures.await;
import static dev.parley.node.p2p.Futures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.tls.CertificateFingerprint;
import dev.parley.node.time.ManualNodeClock;
import dev.parley.node.time.NodeClock;
import dev.parley.node.trust.ServerTrust;
import dev.parley.testsupport.SelfSignedCert;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observed-address request leaves from the P2P listener's own port (while the listener keeps
 * listening on it), over TLS trusted as the server is, and reads the server's answer.
 */
class ObservedAddressTest {
    private static final String TOKEN = "session-token-1";

    @TempDir
    Path dir;
    private Vertx vertx;
    private PeerLinks links;
    private int p2pPort;
    private SelfSignedCert cert;
    private HttpServer https;
    /** Where each request the server took came from. */
    private final List<SocketAddress> seen = new CopyOnWriteArrayList<>();
    private volatile boolean chunked;

    @BeforeEach
    void listenerAndServer() throws Exception {
        vertx = ReusePortTransport.vertx(new VertxOptions());
        links = new PeerLinks(vertx, NodeClock.of(vertx), Identity.loadOrCreate(dir, w -> { }), new ProtocolCodec(),
                new RecordingListener());
        p2pPort = await(links.listen("127.0.0.1", 0));
        cert = SelfSignedCert.create();
        https = await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
                        .setKeyCertOptions(KeyCertOptions.wrap((X509KeyManager) cert.keyManagers().getKeyManagers()[0])))
                .requestHandler(request -> {
                    if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                        request.response().setStatusCode(401).end("{\"code\":\"unauthenticated\"}");
                        return;
                    }
                    SocketAddress from = request.remoteAddress();
                    seen.add(from);
                    request.response().setChunked(chunked).putHeader("Content-Type", "application/json")
                            .end("{\"address\":\"" + from.hostAddress() + "\",\"port\":" + from.port() + "}");
                })
                .listen(0));
    }

    @AfterEach
    void stop() throws Exception {
        links.close();
        await(vertx.close());
    }

    private ObservedAddress asker(String fingerprint) {
        return new ObservedAddress(vertx, "127.0.0.1", https.actualPort(),
                Optional.of(new ServerTrust.Decision.Pinned(fingerprint, false)), "127.0.0.1", p2pPort);
    }

    @Test
    void theRequestLeavesFromTheP2pPortAndTheAnswerIsTheAddressTheServerSaw() throws Exception {
        ObservedAddress asker = asker(CertificateFingerprint.of(cert.certificate()));
        assertEquals("127.0.0.1:" + p2pPort, await(asker.ask(TOKEN)));
        assertEquals(p2pPort, seen.get(0).port(), "the server saw the P2P listener's port");

        chunked = true; // asked again at once from the same port (a refresh), the answer framed otherwise
        assertEquals("127.0.0.1:" + p2pPort, await(asker.ask(TOKEN)));
        assertEquals(2, seen.size());
        assertEquals(p2pPort, seen.get(1).port());
    }

    @Test
    void aRefusedTokenOrAnUntrustedCertificateIsAFailure() throws Exception {
        String refused = failure(asker(CertificateFingerprint.of(cert.certificate())).ask("stale"), "it did not fail");
        assertEquals("the server answered HTTP 401", refused);
        String untrusted = failure(asker("SHA256:" + "A".repeat(43)).ask(TOKEN), "it did not fail");
        assertTrue(seen.isEmpty(), "nothing reached the server: " + untrusted);
    }

    @Test
    void theWatchTellsEachNewAddressOnceAndAsksAgainAtEachRefreshUntilStopped() throws Exception {
        ObservedAddress asker = asker(CertificateFingerprint.of(cert.certificate()));
        ManualNodeClock clock = new ManualNodeClock();
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        AtomicInteger asks = new AtomicInteger();
        List<String> told = new CopyOnWriteArrayList<>();
        ObservedAddressWatch watch = new ObservedAddressWatch(clock, token -> {
            asks.incrementAndGet();
            // The watch's own handler runs inside handle(), so an answer is queued once the watch has seen it.
            Promise<String> seenByWatch = Promise.promise();
            asker.ask(token).onComplete(answer -> {
                seenByWatch.handle(answer);
                answers.add(String.valueOf(answer.result()));
            });
            return seenByWatch.future();
        });
        watch.start(() -> Optional.of(TOKEN), told::add);
        assertEquals("127.0.0.1:" + p2pPort, answers.poll(20, TimeUnit.SECONDS));
        assertEquals(List.of("127.0.0.1:" + p2pPort), told);
        assertEquals(Optional.of("127.0.0.1:" + p2pPort), watch.last());

        clock.advance(ObservedAddressWatch.REFRESH);
        assertEquals("127.0.0.1:" + p2pPort, answers.poll(20, TimeUnit.SECONDS));
        assertEquals(2, asks.get());
        assertEquals(List.of("127.0.0.1:" + p2pPort), told, "the same address is not told again");

        watch.stop();
        clock.advance(ObservedAddressWatch.REFRESH.multipliedBy(3));
        assertEquals(2, asks.get(), "no asking once stopped");
    }
}
