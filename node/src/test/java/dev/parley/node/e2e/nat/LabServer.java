package dev.parley.node.e2e.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.node.e2e.P2p;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.nat.Namespace;
import dev.parley.testsupport.nat.NatLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One NAT lab and the real packaged server on its internet, for a whole test class
 * ({@code @RegisterExtension static final LabServer net = LabServer.seeding(…)}, after the
 * class's {@code RequiresNatLab}), with these users seeded; each test adds routers and hosts of its
 * own. At the end the server stops and the lab is torn down, and that is checked.
 */
final class LabServer implements BeforeAllCallback, AfterAllCallback {
    private final List<String> users;
    private Path dir;
    private NatLab lab;
    private ServerProcess server;

    private LabServer(List<String> users) {
        this.users = users;
    }

    static LabServer seeding(String... users) {
        return new LabServer(List.of(users));
    }

    NatLab lab() {
        return lab;
    }

    ServerProcess server() {
        return server;
    }

    static String password(String user) {
        return "pw-" + user + "-secret";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("parley-nat-lab");
        lab = NatLab.create();
        StringBuilder lines = new StringBuilder("# seeded by " + context.getDisplayName() + "\n");
        users.forEach(user -> lines.append(user).append(' ').append(password(user)).append('\n'));
        Path credentials = Files.writeString(dir.resolve("credentials.txt"), lines, StandardCharsets.UTF_8);
        server = ServerProcess.launch(Files.createDirectory(dir.resolve("server")))
                .within(lab.internet().prefix()).host(lab.internet().address())
                .options(List.of("--credentials", credentials.toString())).start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        String prefix = lab == null ? null : lab.prefix();
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
            delete(dir);
        }
        if (prefix != null) {
            assertEquals(List.of(), NatLab.namespacesStartingWith(prefix), "the lab is torn down");
        }
    }

    /**
     * A JSON node for a seeded user inside {@code host}, listening for peers on every address
     * there, with these extra options; logged in.
     */
    NodeProcess node(Namespace host, String user, String... options) throws IOException {
        Path data = Files.createTempDirectory(dir, "node-" + user + "-"); // owner-only, as the node wants it
        List<String> args = new ArrayList<>(List.of("--server", server.url(), "--trust-fingerprint", server.fingerprint,
                "--user", user, "--data-dir", data.toString(), "--json", "--p2p-host", "0.0.0.0"));
        args.addAll(List.of(options));
        NodeProcess node = NodeProcess.start(user, host.prefix(), args);
        node.send(password(user));
        node.await("logged-in", o -> user.equals(o.field("user")));
        return node;
    }

    /** The server's relay counter, read inside the lab (its metrics port is on the internet's loopback). */
    double relayed() {
        return P2p.relayed(lab.exec(lab.internet(), "curl", "-s", "--max-time", "10", server.metricsUrl() + "/q/metrics")
                .requireSuccess().output());
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
