package dev.parley.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTokensTest {
    @TempDir
    Path dir;

    @Test
    void keepsOneTokenPerServerAndUserOwnerOnly() throws Exception {
        Path file = dir.resolve("devices");
        DeviceTokens one = new DeviceTokens(file, "https://a.example:8443", w -> { });
        DeviceTokens other = new DeviceTokens(file, "https://b.example:8443", w -> { });
        assertEquals(Optional.empty(), one.token("alice"));
        one.remember("Alice", "t1");
        other.remember("alice", "t2");
        one.remember("bob", "t3");
        assertEquals(Optional.of("t1"), one.token("alice"), "usernames ignore case");
        assertEquals(Optional.of("t2"), other.token("alice"), "per server");
        one.remember("alice", "t4");
        assertEquals(Optional.of("t4"), new DeviceTokens(file, "https://a.example:8443", w -> { }).token("alice"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aDamagedOrUnreadableFileIsAWarningNeverAFailure() throws Exception {
        Path file = Files.writeString(dir.resolve("devices"), "garbage\n\u0000\u0001 x y z w\n" + "x".repeat(5000) + "\n");
        List<String> warnings = new ArrayList<>();
        DeviceTokens tokens = new DeviceTokens(file, "https://a.example:8443", warnings::add);
        assertEquals(Optional.empty(), tokens.token("alice"));
        tokens.remember("alice", "with space"); // never written: it could not be read back
        assertEquals(Optional.empty(), tokens.token("alice"));

        DeviceTokens blocked = new DeviceTokens(dir.resolve("not-a-dir").resolve("devices"), "s", warnings::add);
        Files.writeString(dir.resolve("not-a-dir"), "a file where a directory should be");
        blocked.remember("alice", "t1");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("could not keep")), warnings.toString());
    }
}
