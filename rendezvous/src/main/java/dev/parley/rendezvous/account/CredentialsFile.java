package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.Username;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The seeds' credentials format: one {@code username password} pair a line. Blank lines and
 * {@code #} comments are skipped; a bad line is reported by number (never its password) and skipped.
 */
public final class CredentialsFile {
    public record Entry(String username, String password) {
        @Override
        public String toString() {
            return "Entry[" + username + "]";
        }
    }

    public record Parsed(List<Entry> entries, List<String> problems) {
    }

    private CredentialsFile() {
    }

    public static Parsed read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    static Parsed parse(List<String> lines, String name) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String where = name + " line " + (i + 1) + ": ";
            if (fields.length != 2) {
                problems.add(where + "expected 'username password'");
            } else if (Username.problem(fields[0]).isPresent()) {
                problems.add(where + Username.problem(fields[0]).get());
            } else if (fields[1].length() > Limits.MAX_PASSWORD_CHARS) {
                problems.add(where + "password longer than " + Limits.MAX_PASSWORD_CHARS + " characters");
            } else {
                entries.add(new Entry(fields[0], fields[1]));
            }
        }
        return new Parsed(entries, problems);
    }
}
