package dev.parley.rendezvous.launch;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Parses the command line, prepares TLS, turns the options into configuration, then starts
 * Quarkus. HTTP and TLS settings must be in place before Quarkus starts, hence a main of our own.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        ServerOptions options = new ServerOptions();
        CommandLine cli = new CommandLine(options);
        PrintWriter err = cli.getErr();
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage());
            err.println("try --help");
            err.flush();
            System.exit(2);
            return;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(cli.getOut());
            return;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(cli.getOut());
            return;
        }
        String problem = options.problem();
        if (problem == null && options.credentials != null && !Files.isReadable(options.credentials)) {
            problem = "cannot read credentials file " + options.credentials;
        }
        if (problem != null) {
            err.println("error: " + problem);
            err.flush();
            System.exit(2);
            return;
        }
        Map<String, String> config = options.properties();
        try {
            for (Path loose : DataDirectory.secure(options.data)) {
                System.out.println("WARNING: " + loose + " was readable by others; it is owner-only now");
            }
            config.putAll(transport(options));
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            System.exit(2);
            return;
        }
        config.forEach(System::setProperty);
        Quarkus.run();
    }

    /** HTTPS with the configured or self-signed certificate, or plain HTTP when asked for. */
    private static Map<String, String> transport(ServerOptions options) throws IOException {
        String port = Integer.toString(options.port);
        if (options.plaintext) {
            System.out.println("WARNING: --plaintext: passwords and messages cross the network unencrypted."
                    + " Use it for local development only.");
            return Map.of("quarkus.http.port", port, "quarkus.http.insecure-requests", "enabled");
        }
        ServerCertificate certificate = options.tlsCert != null
                ? ServerCertificate.configured(options.tlsCert, options.tlsKey)
                : ServerCertificate.selfSigned(options.data.resolve("tls"));
        System.out.println((certificate.created() ? "Created a self-signed TLS certificate: " : "TLS certificate: ")
                + certificate.certificate());
        System.out.println("TLS certificate fingerprint: " + certificate.fingerprint());
        return Map.of(
                "quarkus.http.ssl-port", port,
                "quarkus.http.insecure-requests", "disabled",
                "quarkus.http.ssl.certificate.files", certificate.certificate().toAbsolutePath().toString(),
                "quarkus.http.ssl.certificate.key-files", certificate.key().toAbsolutePath().toString());
    }
}
