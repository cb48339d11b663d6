package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Helpers for the peer-to-peer end-to-end tests: nodes that listen for peers on loopback only,
 * consent and link set-up, and the server's relay counter.
 */
public final class P2p {
    /** Dialing gives each candidate 3 s; on a busy two-core machine allow for more. */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern RELAY = Pattern.compile("(?m)^parley_messages_total\\{[^}]*via=\"relay\"[^}]*\\}\\s+(\\S+)$");

    private P2p() {
    }

    /** Starts a JSON node for a seeded user, listening for peers on 127.0.0.1 only, and waits for its login. */
    static NodeProcess login(Nodes nodes, String user, String... extra) {
        List<String> args = new ArrayList<>(List.of("--p2p-host", "127.0.0.1"));
        args.addAll(List.of(extra));
        NodeProcess node = nodes.start(user, Nodes.password(user), true, args.toArray(String[]::new));
        // The node prints logged-in once the server holds its identity key and P2P addresses, so
        // a peer may ask for a link straight away.
        node.await("logged-in", o -> user.equals(o.field("user")));
        return node;
    }

    /** What {@link #consent} saw. */
    record Introduction(String askerFingerprintShownToTarget, String targetFingerprintShownToAsker) {
    }

    /**
     * {@code asker} asks for a link, {@code target} consents, and both are introduced (only the
     * asker dials). Does not wait for the link.
     */
    static Introduction consent(NodeProcess asker, String askerName, NodeProcess target, String targetName) {
        asker.send("getaddress " + targetName);
        asker.await("consent-asked", o -> targetName.equals(o.field("user")));
        var request = target.await("consent-request", o -> askerName.equals(o.field("from")));
        target.send("consent " + askerName);
        target.await("consented", o -> askerName.equals(o.field("user")));
        var toAsker = asker.await("introduced", o -> targetName.equals(o.field("user")));
        assertEquals("true", toAsker.field("dial"), "the asker dials: " + toAsker);
        var toTarget = target.await("introduced", o -> askerName.equals(o.field("user")));
        assertEquals("false", toTarget.field("dial"), "the consenting side waits to be dialed: " + toTarget);
        assertEquals(request.field("fingerprint"), toTarget.field("fingerprint"),
                "the key shown with the request is the key the target is introduced to");
        return new Introduction(request.field("fingerprint"), toAsker.field("fingerprint"));
    }

    /** Consent, then waits for the link to come up on both sides; returns the address the asker dialed. */
    static String link(NodeProcess asker, String askerName, NodeProcess target, String targetName) {
        consent(asker, askerName, target, targetName);
        String address = awaitLinkUp(asker, targetName).field("address");
        awaitLinkUp(target, askerName);
        return address;
    }

    static NodeProcess.Output awaitLinkUp(NodeProcess node, String peer) {
        return node.await(o -> o.is("link-up") && peer.equals(o.field("user")), LINK_TIMEOUT, "link-up with " + peer);
    }

    static NodeProcess.Output awaitLinkDown(NodeProcess node, String peer) {
        return node.await(o -> o.is("link-down") && peer.equals(o.field("user")), LINK_TIMEOUT, "link-down with " + peer);
    }

    /**
     * Key managers with a self-signed certificate over {@code keys}, the way a node presents its
     * identity key on a link: for a test that plays a peer (an impostor, a rogue) over TLS.
     */
    static KeyManager[] identity(KeyPair keys, String commonName) throws Exception {
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(commonName, keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, new char[0]);
        return factory.getKeyManagers();
    }

    /** {@code parley_messages_total{via="relay"}} in the server's metrics (Prometheus text). */
    public static double relayed(String metrics) {
        Matcher m = RELAY.matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no parley_messages_total{via=\"relay\"} in the metrics:\n" + metrics);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The server's {@code parley_messages_total{via="relay"}}. */
    static double relayed(ServerProcess server) {
        // HTTP/1.1: the JDK client's default asks plain http:// to upgrade to h2c; and a bound on the
        // whole exchange (the request's timeout covers only the headers): one run hung here once.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(server.metricsUrl() + "/q/metrics")).timeout(Duration.ofSeconds(10))
                .GET().build();
        try {
            HttpResponse<String> response = http.sendAsync(get, HttpResponse.BodyHandlers.ofString()).get(20, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), "GET /q/metrics");
            return relayed(response.body());
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("GET /q/metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
