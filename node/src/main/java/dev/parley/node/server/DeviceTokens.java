package dev.parley.node.server;

import dev.parley.common.files.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The device token each server gave this node at its last login, per user, kept owner-only in
 * {@code DATA_DIR/devices} ({@code server user token} lines). Presented at the next login, it marks
 * this node as a device the account already knows, which someone else's wrong guesses cannot lock
 * out. Losing it only means the next login counts as an unknown client's; so a file that cannot be
 * read or written is a warning, never a failure.
 */
public final class DeviceTokens {
    private static final int MAX_LINE = 300;

    private final Path file;
    private final String server;
    private final Consumer<String> warnings;

    public DeviceTokens(Path file, String server, Consumer<String> warnings) {
        this.file = file;
        this.server = server;
        this.warnings = warnings;
    }

    /** Nothing kept: every login counts as an unknown client's. */
    public static DeviceTokens none() {
        return new DeviceTokens(null, "", w -> { });
    }

    public synchronized Optional<String> token(String user) {
        return Optional.ofNullable(read().get(key(user)));
    }

    public synchronized void remember(String user, String token) {
        if (file == null || token == null || token.isBlank() || token.length() > 200 || token.matches(".*\\s.*")) {
            return;
        }
        Map<String, String> all = read();
        all.put(key(user), token);
        StringBuilder text = new StringBuilder("# device tokens from servers this node logged in to: server user token\n");
        all.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        try {
            PemFiles.writeAtomically(file, text.toString(), true);
        } catch (IOException e) {
            warnings.accept("could not keep this device's login token in " + file + ": " + e.getMessage());
        }
    }

    private String key(String user) {
        return server + " " + user.toLowerCase(Locale.ROOT);
    }

    private Map<String, String> read() {
        Map<String, String> all = new LinkedHashMap<>();
        if (file == null || !Files.exists(file)) {
            return all;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.strip().split("\\s+");
                if (line.length() <= MAX_LINE && f.length == 3 && !f[0].startsWith("#")) {
                    all.put(f[0] + " " + f[1], f[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            warnings.accept("could not read " + file + " (logging in as an unknown device): " + e.getMessage());
        }
        return all;
    }
}
