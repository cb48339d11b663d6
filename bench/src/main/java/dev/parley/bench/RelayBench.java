package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Parley side of figure 2: a real server process and three real nodes. alice and bob have a
 * direct link (figure 1's path); carol has none, so her messages to bob go through the server.
 * Two more accounts are for the wire-level load generator. Password hashing is made cheap: logins
 * are not what this figure measures.
 */
final class RelayBench implements AutoCloseable {
    private static final List<String> USERS = List.of("alice", "bob", "carol", "sender", "receiver");

    private final NodeCluster cluster;
    private final ChildProcess alice;
    private final ChildProcess bob;
    private final ChildProcess carol;

    RelayBench(Path serverJar, Path nodeJar) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("--hash-memory", "1024", "--hash-iterations", "1"));
        options.addAll(Rendezvous.NO_QUOTA);
        cluster = new NodeCluster(serverJar, nodeJar, USERS, options);
        try {
            alice = cluster.node("alice");
            bob = cluster.node("bob");
            carol = cluster.node("carol");
            cluster.link(alice, "alice", bob, "bob");
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Figure 1's path, measured by figure 2's load generator. */
    RelayPair nodeDirect() {
        return new NodePair("node-direct", alice, bob, "bob", true);
    }

    /** Node to node through the server. */
    RelayPair nodeRelay() {
        return new NodePair("node-relay", carol, bob, "bob", false);
    }

    /** The server alone, driven at the protocol level: no node in between. */
    RelayPair wire() throws Exception {
        return ParleyRelayPair.open(cluster.server.port, "sender", NodeCluster.password("sender"), "receiver",
                NodeCluster.password("receiver"));
    }

    @Override
    public void close() throws IOException {
        cluster.close();
    }
}
