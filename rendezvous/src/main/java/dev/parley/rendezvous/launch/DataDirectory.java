package dev.parley.rendezvous.launch;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The server's data directory (database, TLS key) is the owner's alone: the directory and every
 * directory in it 700, every file 600. Made so at start, before the database opens; what was
 * found looser is fixed and reported. The database cannot be given a mode when H2 creates its
 * files, but inside a 700 directory no one else can reach them anyway.
 */
final class DataDirectory {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    /** Creates the directory if needed and makes it owner-only; returns what had to be tightened. */
    static List<Path> secure(Path data) throws IOException {
        List<Path> fixed = new ArrayList<>();
        Files.createDirectories(data);
        if (!data.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return fixed; // not a POSIX file system: its own protection applies
        }
        Files.walkFileTree(data, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                tighten(dir, DIRECTORY, fixed);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    tighten(file, FILE, fixed);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return fixed;
    }

    private static void tighten(Path path, Set<PosixFilePermission> wanted, List<Path> fixed) throws IOException {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
        if (!wanted.containsAll(now)) {
            Files.setPosixFilePermissions(path, wanted);
            fixed.add(path);
        }
    }
}
