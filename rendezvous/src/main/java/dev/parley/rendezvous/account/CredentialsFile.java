package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.Username;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The seeds' credentials format: one {@code username password} pair a line. Blank lines and
 * {@code #} comments are skipped; a bad line is reported by number (never its password) and skipped.
 * So is a line that is not UTF-8: its bytes are not guessed at, since they may be a password.
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
        return parse(Files.readAllBytes(file), file.getFileName().toString());
    }

    /** Lines end at {@code \n}, {@code \r\n} or {@code \r}, as {@link Files#readAllLines} counts them. */
    static Parsed parse(byte[] content, String name) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int number = 0;
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n' && content[end] != '\r') {
                end++;
            }
            number++;
            try {
                String line = StandardCharsets.UTF_8.newDecoder()
                        .decode(ByteBuffer.wrap(content, start, end - start)).toString();
                parseLine(line, name + " line " + number + ": ", entries, problems);
            } catch (CharacterCodingException e) {
                problems.add(name + " line " + number + ": not valid UTF-8");
            }
            start = end < content.length && content[end] == '\r' && end + 1 < content.length && content[end + 1] == '\n'
                    ? end + 2 : end + 1;
        }
        return new Parsed(entries, problems);
    }

    static Parsed parse(List<String> lines, String name) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            parseLine(lines.get(i), name + " line " + (i + 1) + ": ", entries, problems);
        }
        return new Parsed(entries, problems);
    }

    private static void parseLine(String raw, String where, List<Entry> entries, List<String> problems) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        String[] fields = line.split("\\s+");
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
}
