package dev.parley.node.launch;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The node's command line. */
@Command(name = "parley-node", mixinStandardHelpOptions = true, versionProvider = NodeVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"The Parley node: chat from a terminal, or from a script when standard input is not a terminal.",
                "In a script, one command a line; without --password-file the first line is the password."})
public class NodeOptions {

    @Option(names = "--server", required = true, paramLabel = "URL", defaultValue = "${env:PARLEY_SERVER}",
            description = "The rendezvous server, e.g. https://chat.example.org:8443 (env PARLEY_SERVER).")
    String server;

    @Option(names = "--user", paramLabel = "NAME", description = "Log in as NAME (asked for when interactive; required in scripts).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from the first line of FILE instead of asking (or of standard input's first line).")
    Path passwordFile;

    @Option(names = "--register", description = "Create the account first (with the given password); an error if it exists.")
    boolean register;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:PARLEY_DATA_DIR:-${sys:user.home}/.parley}",
            description = "Where history and trusted server certificates are kept. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--json", description = "Print one JSON object a line (scripted mode).")
    boolean json;

    @Option(names = "--p2p-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port to listen on for direct links from peers; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int p2pPort;

    @Option(names = "--p2p-host", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address to listen on for direct links. Default: ${DEFAULT-VALUE} (all).")
    String p2pHost;

    @Option(names = "--advertise", paramLabel = "HOST:PORT",
            description = "Tell peers to dial exactly this address (e.g. a forwarded port) instead of the ones found.")
    String advertise;

    @Option(names = "--no-port-mapping",
            description = "Do not ask the router (NAT-PMP) to forward a port to this node for direct links.")
    boolean noPortMapping;

    @Option(names = "--trust-fingerprint", paramLabel = "SHA256:…",
            description = "Trust a self-signed server certificate with this fingerprint without asking (for scripts).")
    String trustFingerprint;
}
