package dev.parley.node.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the node keeps at rest is for its user only: the data directory (history, trusted servers,
 * the identity key) is {@code rwx------} and the private key {@code rw-------}. Found looser, they
 * are tightened and the user is told, since someone may have read them meanwhile; if they cannot
 * be tightened the node refuses to use them. On a file system without POSIX permissions there is
 * nothing to check.
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /** Creates the directory if needed and makes it owner-only; says so when it was not. */
    public static Optional<String> directory(Path dir) throws IOException {
        boolean existed = Files.isDirectory(dir);
        Files.createDirectories(dir);
        Optional<String> warning = tighten(dir, "rwx------", "the data directory " + dir);
        return existed ? warning : Optional.empty(); // new: made owner-only from the start, nothing to report
    }

    /** Makes an existing secret file owner-only; says so when it was not. */
    public static Optional<String> file(Path file, String what) throws IOException {
        return tighten(file, "rw-------", what + " " + file);
    }

    private static Optional<String> tighten(Path path, String wanted, String what) throws IOException {
        Set<PosixFilePermission> now;
        try {
            now = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
        Set<PosixFilePermission> target = PosixFilePermissions.fromString(wanted);
        if (now.equals(target)) {
            return Optional.empty();
        }
        try {
            Files.setPosixFilePermissions(path, target);
        } catch (IOException e) {
            throw new IOException(what + " has permissions " + PosixFilePermissions.toString(now)
                    + " and cannot be made owner-only (" + wanted + "): " + e.getMessage(), e);
        }
        if (now.stream().noneMatch(OTHERS::contains)) {
            return Optional.empty(); // only the owner's own bits differed: nothing was exposed
        }
        return Optional.of(what + " had permissions " + PosixFilePermissions.toString(now)
                + ", open to other users; made it owner-only (" + wanted + ")");
    }
}
