package dev.parley.node.e2e.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testsupport.LeftoverProcesses;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import dev.parley.testsupport.nat.CommandResult;
import dev.parley.testsupport.nat.Namespace;
import dev.parley.testsupport.nat.Nat;
import dev.parley.testsupport.nat.NatLab;
import dev.parley.testsupport.nat.RequiresNatLab;
import dev.parley.testsupport.nat.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NAT lab with the real packaged server and nodes: the server on the lab's internet, two users
 * each behind a home router of their own (cone NAT, stateful firewall). The server sees them at
 * their routers' addresses; they log in, ask for and consent to a link, and chat: every message
 * arrives exactly once, in order, whichever path it takes. ({@link NatTraversalIT} asserts the paths.)
 */
@ExtendWith({RequiresNatLab.class, LeftoverProcesses.class})
class NatLabIT {
    private static final int MESSAGES = 20;

    @TempDir
    Path dir;

    @Test
    void twoUsersBehindTwoConeNatsChatWithNothingLostOrDoubled() throws Exception {
        String prefix;
        try (NatLab lab = NatLab.create()) {
            prefix = lab.prefix();
            Router annsRouter = lab.router(Nat.CONE);
            Router bensRouter = lab.router(Nat.CONE);
            Namespace annsHost = lab.host(annsRouter);
            Namespace bensHost = lab.host(bensRouter);

            try (ServerProcess server = ServerProcess.launch(Files.createDirectory(dir.resolve("server")))
                    .within(lab.internet().prefix()).host(lab.internet().address())
                    .options(List.of("--credentials", credentials("ann", "ben").toString())).start();
                    NodeProcess ann = node(server, annsHost, "ann");
                    NodeProcess ben = node(server, bensHost, "ben")) {
                ann.await("logged-in", o -> "ann".equals(o.field("user")));
                ben.await("logged-in", o -> "ben".equals(o.field("user")));

                assertEquals(new TreeSet<>(Set.of(annsRouter.wanAddress(), bensRouter.wanAddress())),
                        clientsOf(lab, server), "the server sees each node at its router's address, never a LAN address");

                consent(ann, "ann", ben, "ben");
                chat(ann, "ann", ben, "ben");
                chat(ben, "ben", ann, "ann");
                // Whatever the server had pushed is printed before the barrier's answer: no second copy of any.
                ben.assertNone(o -> o.is("message"), "a message twice");
                ann.assertNone(o -> o.is("message"), "a message twice");
                ann.assertAllJson();
                ben.assertAllJson();
            }
        }
        assertEquals(List.of(), NatLab.namespacesStartingWith(prefix), "the lab is torn down");
    }

    /** A JSON node for a seeded user, run inside {@code host}, listening for peers on every address there. */
    private NodeProcess node(ServerProcess server, Namespace host, String user) throws IOException {
        Path data = Files.createTempDirectory(dir, "node-" + user + "-"); // owner-only, as the node wants it
        NodeProcess node = NodeProcess.start(user, host.prefix(), List.of("--server", server.url(),
                "--trust-fingerprint", server.fingerprint, "--user", user, "--data-dir", data.toString(), "--json",
                "--p2p-host", "0.0.0.0"));
        node.send(password(user));
        return node;
    }

    /**
     * The addresses the server's established connections come from, as the internet's kernel
     * sees them ({@code ss}, run inside the internet namespace).
     */
    private static Set<String> clientsOf(NatLab lab, ServerProcess server) {
        CommandResult sockets = lab.exec(lab.internet(), "ss", "-Htn", "state", "established",
                "( sport = :" + server.port + " )").requireSuccess();
        Set<String> peers = new TreeSet<>();
        // Each line: Recv-Q Send-Q Local:Port Peer:Port; an IPv6 socket shows [::ffff:a.b.c.d]:port.
        for (String line : sockets.output().lines().filter(l -> !l.isBlank()).toList()) {
            String[] columns = line.strip().split("\\s+");
            String peer = columns[3];
            peers.add(peer.substring(0, peer.lastIndexOf(':')).replace("[", "").replace("]", "").replace("::ffff:", ""));
        }
        return peers;
    }

    private static void consent(NodeProcess asker, String askerName, NodeProcess target, String targetName) {
        NatTraversalIT.consent(asker, askerName, target, targetName);
    }

    /** {@value #MESSAGES} messages from one to the other: each confirmed, each shown once, in the order sent. */
    private static void chat(NodeProcess from, String fromName, NodeProcess to, String toName) {
        NatTraversalIT.chat(from, fromName, to, toName, MESSAGES);
    }

    private Path credentials(String... users) throws IOException {
        StringBuilder lines = new StringBuilder("# seeded by NatLabIT\n");
        for (String user : users) {
            lines.append(user).append(' ').append(password(user)).append('\n');
        }
        return Files.writeString(dir.resolve("credentials.txt"), lines, StandardCharsets.UTF_8);
    }

    private static String password(String user) {
        return "pw-" + user + "-secret";
    }
}
