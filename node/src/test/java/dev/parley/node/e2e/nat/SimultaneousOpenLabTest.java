package dev.parley.node.e2e.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.nat.Namespace;
import dev.parley.testsupport.nat.Nat;
import dev.parley.testsupport.nat.NatLab;
import dev.parley.testsupport.nat.RequiresNatLab;
import dev.parley.testsupport.nat.Router;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hole punch itself, in the NAT lab: two hosts behind two home routers each hold a port with a
 * listener and, at the same moment, run {@link dev.parley.node.p2p.SimultaneousOpen} from it toward
 * the other's router address and the same port (a cone router keeps a free source port, which
 * {@code NatLabTest} asserts; the real system learns the mapping from the server instead). Behind
 * two cone routers both get the connection and exchange a line; with one symmetric router both
 * give up when the window has passed.
 */
@ExtendWith(RequiresNatLab.class)
class SimultaneousOpenLabTest {
    private static final int PORT = 40000;
    private static final Duration WINDOW = Duration.ofSeconds(3);

    @Test
    void twoConeRoutersLetTheCrossingConnectsThrough() throws Exception {
        try (NatLab lab = NatLab.create()) {
            Router annsRouter = lab.router(Nat.CONE);
            Router bensRouter = lab.router(Nat.CONE);
            List<String> outcome = punch(lab.host(annsRouter), annsRouter, lab.host(bensRouter), bensRouter);
            assertEquals(List.of("connected " + bensRouter.wanAddress() + ":" + PORT + " got: hello from ben",
                    "connected " + annsRouter.wanAddress() + ":" + PORT + " got: hello from ann"), outcome);
        }
    }

    @Test
    void aSymmetricRouterMakesBothGiveUpWithinTheWindow() throws Exception {
        try (NatLab lab = NatLab.create()) {
            Router annsRouter = lab.router(Nat.CONE);
            Router bensRouter = lab.router(Nat.SYMMETRIC);
            long start = System.nanoTime();
            List<String> outcome = punch(lab.host(annsRouter), annsRouter, lab.host(bensRouter), bensRouter);
            long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            for (String line : outcome) {
                assertTrue(line.startsWith("failed: no connection to ") && line.contains("in " + WINDOW.toMillis() + " ms"),
                        outcome.toString());
            }
            assertTrue(took < WINDOW.toMillis() + 20_000, "gave up in " + took + " ms (JVM starts included)");
        }
    }

    /** Starts a probe in each host, lets both go at once, and returns their outcomes (ann's, then ben's). */
    private static List<String> punch(Namespace annsHost, Router annsRouter, Namespace bensHost, Router bensRouter)
            throws Exception {
        List<Process> probes = new ArrayList<>();
        try {
            Process ann = probe(annsHost, "ann", bensRouter.wanAddress());
            probes.add(ann);
            Process ben = probe(bensHost, "ben", annsRouter.wanAddress());
            probes.add(ben);
            List<BufferedReader> outputs = List.of(output(ann), output(ben));
            for (BufferedReader out : outputs) {
                assertEquals("ready", line(out, Duration.ofSeconds(30)), "a probe started");
            }
            tell(probes, "go");
            List<String> outcome = new ArrayList<>();
            for (BufferedReader out : outputs) {
                outcome.add(line(out, WINDOW.plusSeconds(15)));
            }
            return outcome;
        } finally {
            // Only now may they close: the end of their input ends them.
            for (Process probe : probes) {
                probe.getOutputStream().close();
            }
            for (Process probe : probes) {
                if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                    probe.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void tell(List<Process> probes, String line) throws IOException {
        for (Process probe : probes) {
            Writer in = new OutputStreamWriter(probe.getOutputStream(), StandardCharsets.UTF_8);
            in.write(line + "\n");
            in.flush();
        }
    }

    private static Process probe(Namespace host, String name, String peerHost) throws IOException {
        List<String> command = new ArrayList<>(host.prefix());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PunchProbe.class.getName(),
                name, Integer.toString(PORT), peerHost + ":" + PORT, Long.toString(WINDOW.toMillis())));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static BufferedReader output(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line, or what went wrong, within {@code timeout}. */
    private static String line(BufferedReader out, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return String.valueOf(out.readLine());
            } catch (IOException e) {
                return e.toString();
            }
        }).completeOnTimeout("no line in " + timeout, timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }
}
