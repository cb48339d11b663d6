package dev.parley.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.ExitCode;
import dev.parley.node.launch.NodeMain;
import dev.parley.testsupport.ServerProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server addressed with the wrong scheme, as a newcomer might: the node says which to use. */
class WrongSchemeIT {
    @TempDir
    Path dir;

    @AfterAll
    static void stopServers() throws InterruptedException {
        ServerProcess.stopAll();
    }

    @Test
    void httpAgainstTheTlsServerSuggestsHttps() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir.resolve("server"))) {
            String out = runNode("http://127.0.0.1:" + server.port);
            assertTrue(out.contains("error: 127.0.0.1:" + server.port + " speaks TLS: use https://127.0.0.1:" + server.port),
                    out);
        }
    }

    @Test
    void httpsAgainstAPlainServerSuggestsHttp() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir.resolve("server"), "--plaintext")) {
            String out = runNode("https://127.0.0.1:" + server.port);
            assertTrue(out.contains("does not speak TLS (a plain development server): use http://127.0.0.1:" + server.port),
                    out);
        }
    }

    /** Runs a scripted node that tries to log in; returns what it printed. */
    private String runNode(String address) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = NodeMain.run(new String[] {"--server", address, "--user", "alice", "--data-dir",
                dir.resolve("node").toString(), "--p2p-host", "127.0.0.1"},
                new ByteArrayInputStream("password\n".getBytes(StandardCharsets.UTF_8)), print, print, Optional.empty());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.LOGIN_FAILED, status, text);
        return text;
    }
}
