package dev.parley.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loose permissions on the data directory or a secret file are tightened, with a warning. */
class OwnerOnlyTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewDataDirectoryIsOwnerOnlyWithoutAWarning() throws Exception {
        Path data = dir.resolve("a/b");
        assertEquals(Optional.empty(), OwnerOnly.directory(data));
        assertEquals("rwx------", mode(data));
        assertEquals(Optional.empty(), OwnerOnly.directory(data), "already right: nothing to say");
    }

    @Test
    void aDataDirectoryOpenToOthersIsTightenedWithAWarning() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Optional<String> warning = OwnerOnly.directory(data);
        assertTrue(warning.isPresent() && warning.get().contains("rwxr-xr-x") && warning.get().contains(data.toString()),
                warning.toString());
        assertEquals("rwx------", mode(data));
    }

    @Test
    void aKeyFileReadableByOthersIsTightenedWithAWarning() throws Exception {
        Path key = Files.writeString(dir.resolve("identity-key.pem"), "secret");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Optional<String> warning = OwnerOnly.file(key, "your identity key");
        assertTrue(warning.isPresent() && warning.get().startsWith("your identity key " + key + " had permissions rw-r--r--"),
                warning.toString());
        assertEquals("rw-------", mode(key));

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertEquals(Optional.empty(), OwnerOnly.file(key, "your identity key"), "nobody else could read it");
        assertEquals("rw-------", mode(key));
    }
}
