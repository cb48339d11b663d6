package dev.parley.node.delivery;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The file behind {@link ShownMessages}: one line per message shown, {@code CRC32 from id}
 * (both URL-encoded), appended in batches and rewritten with only the newest keys when it has
 * grown past its bound. Owner-only, like the rest of the data directory.
 *
 * <p>A crash mid-write leaves at worst an unfinished last line; a damaged disk, a line that fails
 * its checksum. Loading skips both and counts them: the caller warns, never fails.
 */
final class ShownLog implements Closeable {
    /** Longest valid line: a checksum, a 32-character name and a 64-character id, all escaped. */
    static final int MAX_LINE_BYTES = 1024;
    private static final Set<StandardOpenOption> APPEND = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);

    /** What loading found: the newest keys (oldest first), the lines the file held, and the damage. */
    record Loaded(List<String> keys, int lines, int damaged, boolean unfinishedLast) {
        boolean intact() {
            return damaged == 0 && !unfinishedLast;
        }
    }

    private final Path file;
    private volatile FileChannel channel;
    private int lines;

    private ShownLog(Path file, FileChannel channel, int lines) {
        this.file = file;
        this.channel = channel;
        this.lines = lines;
    }

    /** The key a message is known by: its sender (case-insensitive, as usernames are) and its id. */
    static String key(String from, String id) {
        return from.toLowerCase(java.util.Locale.ROOT) + ' ' + id;
    }

    /** Reads the file, keeping the newest {@code window} keys; an absent file is empty. */
    static Loaded read(Path file, int window) throws IOException {
        ArrayDeque<String> keys = new ArrayDeque<>();
        int lines = 0;
        int damaged = 0;
        boolean unfinished = false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            byte[] line = new byte[MAX_LINE_BYTES];
            int length = 0;
            boolean tooLong = false;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b != '\n') {
                        if (length < line.length) {
                            line[length++] = b;
                        } else {
                            tooLong = true;
                        }
                        continue;
                    }
                    lines++;
                    String key = tooLong ? null : parse(new String(line, 0, length, StandardCharsets.UTF_8));
                    if (key == null) {
                        damaged++;
                    } else {
                        keys.addLast(key);
                        if (keys.size() > window) {
                            keys.removeFirst();
                        }
                    }
                    length = 0;
                    tooLong = false;
                }
            }
            unfinished = length > 0 || tooLong;
        } catch (NoSuchFileException e) {
            return new Loaded(List.of(), 0, 0, false);
        }
        return new Loaded(new ArrayList<>(keys), lines, damaged, unfinished);
    }

    /** Opens the file for appending, creating it (and its directory) owner-only; {@code lines} is how many it holds. */
    static ShownLog open(Path file, int lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            ownerOnly(dir, "rwx------");
        }
        FileChannel channel = FileChannel.open(file, APPEND);
        ownerOnly(file, "rw-------");
        return new ShownLog(file, channel, lines);
    }

    int lines() {
        return lines;
    }

    /** Appends the keys in one write (to the operating system: a crash of this process cannot lose them). */
    void append(List<String> keys) throws IOException {
        Encoded encoded = encode(keys);
        while (encoded.bytes().hasRemaining()) {
            channel.write(encoded.bytes());
        }
        lines += encoded.lines();
    }

    /** Makes everything appended so far survive a machine crash too. */
    void force() throws IOException {
        FileChannel c = channel;
        try {
            c.force(false);
        } catch (ClosedChannelException e) {
            if (c == channel) {
                throw e;
            }
            // Replaced by rewrite(), which forced the new file, holding everything, before the swap.
        }
    }

    /**
     * Replaces the file with exactly these keys: written beside it, forced, then renamed over it,
     * so a crash leaves either the old file or the new one, never half of one.
     */
    void rewrite(Collection<String> keys) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Encoded encoded;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ownerOnly(temp, "rw-------");
            encoded = encode(keys);
            while (encoded.bytes().hasRemaining()) {
                out.write(encoded.bytes());
            }
            out.force(false);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.toAbsolutePath().getParent());
        FileChannel old = channel;
        channel = FileChannel.open(file, APPEND);
        lines = encoded.lines();
        old.close();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private record Encoded(ByteBuffer bytes, int lines) {
    }

    /**
     * The lines for these keys. A key too long to be read back (longer than any id the protocol
     * allows, so only from a peer or server breaking it) is left out: remembered in memory only.
     */
    private static Encoded encode(Collection<String> keys) {
        StringBuilder text = new StringBuilder(keys.size() * 64);
        int count = 0;
        for (String key : keys) {
            String line = line(key);
            if (line.length() < MAX_LINE_BYTES / 4 || line.getBytes(StandardCharsets.UTF_8).length < MAX_LINE_BYTES) {
                text.append(line);
                count++;
            }
        }
        return new Encoded(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), count);
    }

    private static String line(String key) {
        int space = key.indexOf(' ');
        String fields = escape(key.substring(0, space)) + ' ' + escape(key.substring(space + 1));
        String crc = Long.toHexString(checksum(fields));
        return "00000000".substring(crc.length()) + crc + ' ' + fields + '\n';
    }

    /** The key a line holds, or null if the line is damaged. */
    private static String parse(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].length() != 8) {
            return null;
        }
        String fields = parts[1] + ' ' + parts[2];
        try {
            if (Long.parseLong(parts[0], 16) != checksum(fields)) {
                return null;
            }
            String from = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            String id = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
            return from.isEmpty() || id.isEmpty() ? null : key(from, id);
        } catch (IllegalArgumentException e) {
            return null; // a bad hex checksum or escape
        }
    }

    private static String escape(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return URLEncoder.encode(field, StandardCharsets.UTF_8);
            }
        }
        return field; // the usual case (usernames, UUIDs): nothing to escape
    }

    private static long checksum(String fields) {
        CRC32 crc = new CRC32();
        crc.update(fields.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not POSIX: the platform's defaults apply.
        }
    }

    /** A rename survives a machine crash only once its directory is forced too (POSIX; elsewhere a no-op). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename is still atomic there.
        }
    }
}
