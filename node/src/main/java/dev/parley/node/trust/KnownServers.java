package dev.parley.node.trust;

import dev.parley.common.files.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pinned server certificates, like SSH's {@code known_hosts}: one {@code host:port SHA256:…} line
 * per server whose self-signed certificate the user accepted.
 */
public final class KnownServers {
    private final Path file;

    public KnownServers(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public synchronized Optional<String> fingerprint(String hostPort) throws IOException {
        return Optional.ofNullable(read().get(hostPort));
    }

    public synchronized void remember(String hostPort, String fingerprint) throws IOException {
        Map<String, String> all = read();
        all.put(hostPort, fingerprint);
        StringBuilder text = new StringBuilder("# servers whose self-signed certificate you accepted: host:port fingerprint\n");
        all.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        PemFiles.writeAtomically(file, text.toString(), true);
    }

    private Map<String, String> read() throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return all;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && !f[0].startsWith("#")) {
                all.put(f[0], f[1]);
            }
        }
        return all;
    }
}
