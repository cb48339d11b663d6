package dev.parley.node.launch;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.protocol.PeerAddresses;
import dev.parley.node.ExitCode;
import dev.parley.node.Node;
import dev.parley.node.output.Event;
import dev.parley.node.output.JsonPrinter;
import dev.parley.node.output.LineOutput;
import dev.parley.node.p2p.Identity;
import dev.parley.node.p2p.LocalAddresses;
import dev.parley.node.p2p.NetworkWatch;
import dev.parley.node.p2p.ObservedAddress;
import dev.parley.node.p2p.ObservedAddressWatch;
import dev.parley.node.p2p.PeerLinks;
import dev.parley.node.p2p.PortMappingWatch;
import dev.parley.node.p2p.ReusePortTransport;
import dev.parley.node.output.PlainPrinter;
import dev.parley.node.output.Printer;
import dev.parley.node.server.Connection;
import dev.parley.node.server.DeviceTokens;
import dev.parley.node.server.RendezvousClient;
import dev.parley.node.server.SchemeMismatch;
import dev.parley.node.server.ServerAddress;
import dev.parley.node.shell.InteractiveShell;
import dev.parley.node.shell.NameCompleter;
import dev.parley.node.shell.ScriptMode;
import dev.parley.node.shell.TerminalPrinter;
import dev.parley.node.shell.TrustQuestion;
import dev.parley.node.trust.KnownServers;
import dev.parley.node.trust.OwnerOnly;
import dev.parley.node.time.NodeClock;
import dev.parley.node.trust.ServerTrust;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;

/** Starts a node: options, data directory, server trust, then the interactive shell or scripted mode. */
public final class NodeMain {

    public static void main(String[] args) {
        // Library chatter (Vert.x, Netty) stays off the user's screen unless it is a real problem.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
        // Our own buffer on standard output: System.out flushes at every line, and scripted mode
        // flushes once per event-loop turn instead (see LineOutput). Whatever is still buffered
        // goes out before the JVM ends, even if an event is printed while it shuts down.
        PrintStream stdout = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        Runtime.getRuntime().addShutdownHook(new Thread(stdout::flush, "flush-stdout"));
        int status;
        try {
            Optional<TerminalOpener> terminal = System.console() == null ? Optional.empty()
                    : Optional.of(() -> TerminalBuilder.builder().system(true).build());
            status = run(args, System.in, stdout, System.err, terminal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ExitCode.LOGIN_FAILED;
        } catch (RuntimeException | LinkageError e) {
            System.err.println("error: parley-node failed: " + e);
            status = ExitCode.UNANSWERED;
        }
        stdout.flush();
        System.exit(status);
    }

    /** Opens the terminal of an interactive shell (the system's; a test's own). */
    @FunctionalInterface
    public interface TerminalOpener {
        Terminal open() throws IOException;
    }

    /**
     * Runs a node to the end and returns its exit status: the interactive shell on {@code terminal},
     * or scripted mode on {@code in} and {@code out} if there is none.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Optional<TerminalOpener> terminalOpener)
            throws InterruptedException {
        boolean interactive = terminalOpener.isPresent();
        NodeOptions options = new NodeOptions();
        CommandLine cli = new CommandLine(options);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage());
            err.println("try --help");
            return ExitCode.USAGE;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return ExitCode.OK;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            return ExitCode.OK;
        }
        ServerAddress server;
        Optional<String> password;
        Optional<String> looseDataDir;
        try {
            server = ServerAddress.parse(options.server);
            password = options.passwordFile == null ? Optional.empty() : Optional.of(readPassword(options.passwordFile));
            looseDataDir = prepare(options.dataDir);
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCode.USAGE;
        }

        Terminal terminal = null;
        LineReader reader = null;
        Printer printer;
        Runnable flushOutput;
        if (interactive) {
            try {
                terminal = terminalOpener.get().open();
            } catch (IOException e) {
                err.println("error: cannot open the terminal: " + e.getMessage());
                return ExitCode.USAGE;
            }
            reader = InteractiveShell.reader(terminal, options.dataDir.resolve("history"));
            printer = new TerminalPrinter(reader);
            flushOutput = () -> { }; // the terminal shows each event as it is printed
        } else {
            LineOutput lines = new LineOutput(new PrintStream(out, false, StandardCharsets.UTF_8));
            printer = options.json ? new JsonPrinter(lines, Clock.systemUTC()) : new PlainPrinter(lines);
            flushOutput = lines::flush;
        }
        Node node = new Node(printer, server.toString(), options.dataDir, flushOutput);
        looseDataDir.ifPresent(message -> warn(node, message));

        ServerTrust.Decision trust;
        if (server.tls()) {
            Optional<ServerTrust.Prompt> prompt = terminal == null ? Optional.empty()
                    : Optional.of(new TrustQuestion(node, terminal)); // not the shell's reader: no history
            try {
                trust = new ServerTrust(new KnownServers(options.dataDir.resolve("known_servers")))
                        .decide(server.host(), server.port(), Optional.ofNullable(options.trustFingerprint), prompt);
            } catch (ServerTrust.TrustRefused e) {
                // Our own text, laid out in lines (the changed-certificate warning).
                List<String> lines = new ArrayList<>(e.getMessage().lines().toList());
                lines.set(0, "error: " + lines.get(0));
                node.print(Event.of("error").with("message", e.getMessage()).saysLines(lines));
                return ExitCode.LOGIN_FAILED;
            } catch (IOException e) {
                node.error(SchemeMismatch.hint(server, e).orElse("cannot reach " + server + ": " + e.getMessage()));
                return ExitCode.LOGIN_FAILED;
            } catch (org.jline.reader.UserInterruptException | org.jline.reader.EndOfFileException e) {
                return ExitCode.LOGIN_FAILED;
            }
            if (trust instanceof ServerTrust.Decision.Pinned pinned && pinned.newlyTrusted()) {
                node.print(Event.of("server-trusted").with("server", server.toString())
                        .with("fingerprint", pinned.fingerprint())
                        .says("remembered the certificate of " + server + " (" + pinned.fingerprint() + ")"));
            }
        } else {
            trust = new ServerTrust.Decision.CaSigned();
            node.print(Event.of("warning").with("message", "plain connection")
                    .says("warning: " + server + " is not encrypted: use it for local development only"));
        }

        Vertx vertx = ReusePortTransport.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        ProtocolCodec codec = new ProtocolCodec();
        Identity identity;
        try {
            identity = Identity.loadOrCreate(options.dataDir, message -> warn(node, message));
        } catch (IOException e) {
            vertx.close();
            node.error(e.getMessage());
            return ExitCode.USAGE;
        }
        PeerLinks links;
        try {
            links = new PeerLinks(vertx, NodeClock.of(vertx), identity, codec, node.linkEvents());
            int port = links.listen(options.p2pHost, options.p2pPort).toCompletionStage().toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            List<Candidate> candidates = options.advertise != null
                    ? List.of(new Candidate(Candidate.Type.advertised, PeerAddresses.require(options.advertise)))
                    : LocalAddresses.candidates(options.p2pHost, port);
            // With --advertise the user said where peers find us: nothing is discovered or added.
            Optional<ObservedAddressWatch> observed = options.advertise != null ? Optional.empty()
                    : Optional.of(new ObservedAddressWatch(NodeClock.of(vertx), new ObservedAddress(vertx,
                            server.host(), server.port(), server.tls() ? Optional.of(trust) : Optional.empty(),
                            options.p2pHost, port)::ask));
            node.attachPeers(links, identity, port, candidates, options.advertise != null, observed);
            if (options.advertise == null && !options.noPortMapping) {
                PortMappingWatch.natPmp(vertx, NodeClock.of(vertx), options.p2pHost, port).ifPresent(node::attachPortMapping);
            }
            // Another network (Wi-Fi, cable, VPN): find the addresses again, and dial again, at once.
            new NetworkWatch(NodeClock.of(vertx), LocalAddresses::current,
                    () -> node.networkChanged(LocalAddresses.candidates(options.p2pHost, port))).start();
        } catch (IllegalArgumentException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            vertx.close();
            node.error("cannot listen for direct links on " + options.p2pHost + ":" + options.p2pPort + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return ExitCode.USAGE;
        }
        DeviceTokens devices = new DeviceTokens(options.dataDir.resolve("devices"), server.toString(),
                warning -> warn(node, warning));
        try (Connection connection = new Connection(vertx, new RendezvousClient(vertx, server, trust, codec, devices),
                codec)) {
            if (interactive) {
                InteractiveShell shell = new InteractiveShell(connection, node, terminal, reader, options.dataDir.resolve("history"))
                        .promptFollowedBy((TerminalPrinter) printer);
                ((LineReaderImpl) reader).setCompleter(new NameCompleter(shell.runner().commands(), node));
                try {
                    return shell.run(Optional.ofNullable(options.user), password, options.register);
                } finally {
                    try {
                        reader.getHistory().save();
                        terminal.close();
                    } catch (IOException e) {
                        // Nothing useful to do while leaving.
                    }
                }
            }
            try {
                return new ScriptMode(connection, node, in).run(options.user, password, options.register);
            } catch (IOException e) {
                node.error("cannot read standard input: " + e.getMessage());
                return ExitCode.UNANSWERED;
            }
        }
    }

    private static String readPassword(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read password file " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("password file " + file + " is empty");
        }
        return lines.get(0);
    }

    /** The data directory, owner-only: it holds history, the servers this user trusts and the identity key. */
    private static Optional<String> prepare(Path dataDir) throws IOException {
        try {
            return OwnerOnly.directory(dataDir);
        } catch (IOException e) {
            throw new IOException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void warn(Node node, String message) {
        node.print(Event.of("warning").with("message", message).says("warning: " + message));
    }
}
