package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** What every harness part borrows from the machine for a while: a temp directory (ports: ServerProcess.freePort). */
final class Scratch {
    private Scratch() {
    }

    /** Deletes a directory the harness made, with everything in it. */
    static void deleteDirectory(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
