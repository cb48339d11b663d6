package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity key is made once, kept owner-only, and tightened with a warning if found open. */
class IdentityTest {
    @TempDir
    Path dir;

    @Test
    void theSameKeyComesBackAndALooseKeyFileIsFixedWithAWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        Identity made = Identity.loadOrCreate(dir, warnings::add);
        Path key = dir.resolve(Identity.KEY_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(List.of(), warnings);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-r--"));
        Identity loaded = Identity.loadOrCreate(dir, warnings::add);
        assertEquals(made.fingerprint(), loaded.fingerprint(), "the same key, not a new one");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("rw-rw-r--") && warnings.get(0).contains("owner-only"), warnings.get(0));
    }
}
