package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks and prints a table per figure (and writes them all as JSON). Every figure is
 * the median of several runs, with min and max, and is set against baselines measured in the
 * same run.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> report = run(options, System.out);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out().toFile(), report);
        System.out.println("written: " + options.out().toAbsolutePath());
    }

    /** Runs the chosen figures and returns the report (also printed as tables on {@code log}). */
    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        for (Path jar : List.of(o.serverJar(), o.nodeJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("missing " + jar + ": build first with ./mvnw -DskipTests package");
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("when", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.version")));
        report.put("runs", o.runs());
        report.put("messagesPerRun", o.messages());
        if (o.wants("direct")) {
            report.putAll(DirectLinkFigure.run(o, log));
        }
        if (o.wants("logins")) {
            report.put("login", LoginFigure.run(o, log));
        }
        if (o.wants("relay")) {
            report.putAll(RelayFigure.run(o, log));
        }
        if (o.wants("stall")) {
            report.put("stall", StallFigure.run(o, log));
        }
        if (o.wants("capacity")) {
            report.put("capacity", CapacityFigure.run(o, log));
        }
        if (o.wants("drain")) {
            report.put("drain", DrainFigure.run(o, log));
        }
        if (o.wants("nat")) {
            report.put("nat", NatFigure.run(o, log));
        }
        return report;
    }
}
