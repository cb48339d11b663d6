package dev.parley.rendezvous.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.Username;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the credentials-file parser with whole files (what {@link CredentialsFile#read} hands it),
 * against a model that reads each line the obvious way. Invariants: parsing never throws; every
 * line that is not blank or a comment becomes exactly one entry or exactly one problem, in file
 * order; a problem names the file and the right line number and then says one of a fixed set of
 * things, so it can never echo a password (or any other part of the line); an entry is the line's
 * two fields, a valid username and a password within the limit.
 *
 * <p>Regression inputs, whole files: {@code
 * src/test/resources/dev/parley/rendezvous/account/CredentialsFileFuzzTestInputs/parsesAnyFile/}.
 */
class CredentialsFileFuzzTest {
    private static final String NAME = "credentials.txt";
    private static final Set<String> PROBLEMS = Set.of(
            "expected 'username password'",
            "username is longer than " + Username.MAX_LENGTH + " characters",
            "username may only contain letters, digits, '_', '-' and '.'",
            "password longer than " + Limits.MAX_PASSWORD_CHARS + " characters",
            "not valid UTF-8");

    @FuzzTest
    void parsesAnyFile(byte[] content) {
        CredentialsFile.Parsed parsed = CredentialsFile.parse(content, NAME);

        List<CredentialsFile.Entry> entries = new ArrayList<>();
        List<Integer> badLines = new ArrayList<>();
        List<byte[]> lines = lines(content);
        for (int i = 0; i < lines.size(); i++) {
            String line;
            try {
                line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(lines.get(i))).toString().strip();
            } catch (CharacterCodingException e) {
                badLines.add(i + 1);
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length == 2 && Username.isValid(fields[0]) && fields[1].length() <= Limits.MAX_PASSWORD_CHARS) {
                entries.add(new CredentialsFile.Entry(fields[0], fields[1]));
            } else {
                badLines.add(i + 1);
            }
        }

        assertEquals(entries, parsed.entries());
        assertEquals(badLines.size(), parsed.problems().size(), "problems: " + parsed.problems());
        for (int i = 0; i < badLines.size(); i++) {
            String prefix = NAME + " line " + badLines.get(i) + ": ";
            String problem = parsed.problems().get(i);
            assertTrue(problem.startsWith(prefix), "'" + problem + "' should start with '" + prefix + "'");
            assertTrue(PROBLEMS.contains(problem.substring(prefix.length())), "an unexpected problem: " + problem);
        }
    }

    @Test
    void aLineThatIsNotUtf8IsReportedAndSkippedNotTheWholeFile() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "credentials-file-test"));
        Path file = Files.write(dir.resolve(NAME), new byte[] {'a', ' ', 'p', 'w', '\n', 'b', ' ', 'p', (byte) 0xf6, '\n'});
        CredentialsFile.Parsed parsed = CredentialsFile.read(file);
        assertEquals(List.of(new CredentialsFile.Entry("a", "pw")), parsed.entries());
        assertEquals(List.of(NAME + " line 2: not valid UTF-8"), parsed.problems());
    }

    /** Lines as a text editor (and {@code BufferedReader}) counts them: ended by LF, CR LF or CR. */
    private static List<byte[]> lines(byte[] content) {
        List<byte[]> lines = new ArrayList<>();
        String latin1 = new String(content, StandardCharsets.ISO_8859_1); // one char per byte
        for (String line : latin1.split("\r\n|\r|\n", -1)) {
            lines.add(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        if (lines.get(lines.size() - 1).length == 0) {
            lines.remove(lines.size() - 1); // after the last line ending, or an empty file
        }
        return lines;
    }
}
