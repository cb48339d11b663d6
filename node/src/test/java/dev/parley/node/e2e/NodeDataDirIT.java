package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.ExitCode;
import dev.parley.node.p2p.Identity;
import dev.parley.testsupport.NodeProcess;
import dev.parley.testsupport.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that finds its data directory or identity key open to other users makes them owner-only
 * and says so. No server is needed: this all happens before the node logs in.
 */
class NodeDataDirIT {
    @TempDir
    Path dir;

    @Test
    void looseDataDirectoryAndKeyFileAreFixedWithAWarning() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Identity.loadOrCreate(data, warning -> { });
        Path key = data.resolve("identity-key.pem");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        // Nothing listens at this address: the node gets as far as logging in, then fails.
        String server = "http://127.0.0.1:" + ServerProcess.freePort();
        try (NodeProcess node = NodeProcess.start("loose", List.of("--server", server, "--user", "lou",
                "--data-dir", data.toString(), "--p2p-host", "127.0.0.1", "--json"))) {
            var dirWarning = node.await("warning", o -> o.field("message").contains("the data directory"));
            assertTrue(dirWarning.field("message").contains("rwxr-xr-x"), dirWarning.toString());
            var keyWarning = node.await("warning", o -> o.field("message").contains("identity key"));
            assertTrue(keyWarning.field("message").contains("rw-r--r--"), keyWarning.toString());
            node.send("a-password");
            node.await("error");
            assertEquals(ExitCode.LOGIN_FAILED, node.exitCode());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }
}
