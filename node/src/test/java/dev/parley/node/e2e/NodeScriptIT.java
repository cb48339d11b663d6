package dev.parley.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.ExitCode;
import dev.parley.testsupport.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted mode as a script sees it: exit statuses, a second login taking over, malformed input,
 * plain (non-JSON) output, registration and server trust from the command line.
 */
class NodeScriptIT {
    @TempDir
    Path dir;

    @RegisterExtension
    final Nodes nodes = Nodes.onSharedServer();

    @Test
    void aSecondLoginTakesOverAndTheFirstNodeExitsWithSessionEnded() {
        NodeProcess first = nodes.login("tara");
        NodeProcess second = nodes.login("tara");

        var out = first.await("logged-out");
        assertEquals("takeover", out.field("reason"), out.toString());
        assertTrue(first.isAlive(), "the node keeps reading its script until input ends");
        first.send("whoelse");
        first.await("error", o -> o.field("message").contains("not logged in"));
        first.closeInput();
        assertEquals(ExitCode.SESSION_ENDED, first.exitCode());

        second.send("whoelse");
        second.await("online");
        second.closeInput();
        second.await("logged-out", o -> "logout".equals(o.field("reason")));
        assertEquals(ExitCode.OK, second.exitCode());
    }

    @Test
    void badInputGetsOneClearErrorEachAndTheNodeKeepsRunning() {
        NodeProcess bea = nodes.login("bea");
        NodeProcess bud = nodes.login("bud");
        /** A bad line, and what its error says (the server's error code when the server refused it). */
        record Case(byte[] input, String errorContains, String code) {
            Case(byte[] input, String errorContains) {
                this(input, errorContains, null);
            }
        }
        byte[] garbage = new byte[300];
        new Random(3331).nextBytes(garbage);
        byte[] prefix = {0x00, (byte) 0xFF, (byte) 0xFE, (byte) 0xC3, 0x28, (byte) 0xE2, (byte) 0x82, 0x1B, 0x07};
        System.arraycopy(prefix, 0, garbage, 0, prefix.length);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n' || garbage[i] == '\r') {
                garbage[i] = 0x01; // one line of garbage, one error
            }
        }
        byte[] garbageLine = new byte[garbage.length + 1];
        System.arraycopy(garbage, 0, garbageLine, 0, garbage.length);
        garbageLine[garbage.length] = '\n';

        List<Case> cases = List.of(
                new Case(line("frobnicate the widgets"), "unknown command 'frobnicate'"),
                new Case(line("message"), "missing <user>"),
                new Case(line("message bud"), "missing <text>"),
                new Case(line("@bud"), "missing <text>"),
                new Case(line("whoelsesince soon"), "invalid <seconds>"),
                new Case(line("message bud " + "x".repeat(5000)), "too long"),
                new Case(line("message bud " + "y".repeat(4100)), "4096"),
                new Case(line("broadcast " + "z".repeat(1024 * 1024)), "too long"),
                new Case(garbageLine, "unknown command"),
                new Case(line("message nobody-by-that-name hello"), "", "no-such-user"),
                new Case(line("message bea talking to myself"), "", "self"),
                new Case(line("unblock bud"), "", "not-blocked"),
                new Case(line("block bea"), "", "self"));
        // After each bad line: its error, then proof the node still works (a server round trip).
        for (Case c : cases) {
            bea.sendRaw(c.input());
            var error = bea.await("error");
            String message = error.field("message");
            assertTrue(message != null && !message.isBlank() && message.contains(c.errorContains()),
                    "expected an error containing '" + c.errorContains() + "', got " + error);
            assertTrue(message.length() < 300, "one short line: " + error);
            if (c.code() != null) {
                assertEquals(c.code(), error.field("code"), error.toString());
            }
            bea.send("whoelse");
            bea.await("online");
        }

        bea.send("message bud still here");
        bea.await("sent", o -> "bud".equals(o.field("to")));
        assertEquals("still here", bud.await("message").field("text"), "the first message bud gets is the good one");
        bea.assertAllJson();
        bea.closeInput();
        assertEquals(ExitCode.OK, bea.exitCode(), "errors in a script do not make it fail");
    }

    @Test
    void whenInputEndsTheNodeAnswersWhatWasAskedLogsOutAndExitsZero() {
        NodeProcess sam = nodes.login("sam");
        sam.send("whoelse");
        sam.send("blocked");
        sam.closeInput();
        sam.await("online");
        sam.await("block-list");
        var out = sam.await("logged-out");
        assertEquals("logout", out.field("reason"));
        assertEquals(ExitCode.OK, sam.exitCode());
    }

    @Test
    void thePasswordCanComeFromAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ivy.password"), Nodes.password("ivy") + "\n");
        NodeProcess ivy = nodes.start("ivy", null, true, "--password-file", file.toString());
        ivy.await("logged-in");
        ivy.send("whoami");
        assertEquals("ivy", ivy.await("whoami").field("user"));
        ivy.closeInput();
        assertEquals(ExitCode.OK, ivy.exitCode());
    }

    @Test
    void registerCreatesAnAccountOnceOnly() {
        NodeProcess newbie = nodes.start("newbie", "a-fresh-password", true, "--register");
        newbie.await("logged-in", o -> "newbie".equals(o.field("user")));
        newbie.closeInput();
        assertEquals(ExitCode.OK, newbie.exitCode());

        NodeProcess again = nodes.start("newbie", "another-password", true, "--register");
        var error = again.await("error");
        assertTrue(error.field("message").contains("cannot create account"), error.toString());
        assertEquals(ExitCode.LOGIN_FAILED, again.exitCode());

        NodeProcess login = nodes.start("newbie", "a-fresh-password", true);
        login.await("logged-in");
    }

    @Test
    void helpExitsZeroAndABadOptionExitsTwo() {
        NodeProcess help = nodes.run("help", List.of("--help"));
        help.awaitLine(l -> l.contains("--server"));
        assertEquals(ExitCode.OK, help.exitCode());

        NodeProcess bad = nodes.run("bad-option", List.of("--server", nodes.server().url(), "--no-such-option"));
        assertEquals(ExitCode.USAGE, bad.exitCode());
    }

    @Test
    void aWrongTrustedFingerprintRefusesToConnect() {
        String wrong = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(new byte[32]);
        NodeProcess node = nodes.run("pat", List.of("--server", nodes.server().url(), "--trust-fingerprint", wrong,
                "--user", "pat", "--data-dir", nodes.dataDir("pat").toString(), "--json"));
        node.send(Nodes.password("pat"));
        var error = node.await("error");
        assertTrue(error.field("message").contains("fingerprint"), error.toString());
        assertEquals(ExitCode.LOGIN_FAILED, node.exitCode());
        assertTrue(node.outputs().stream().noneMatch(o -> o.is("logged-in")), node.transcript());
    }

    @Test
    void plainOutputShowsOneReadableLinePerEvent() {
        NodeProcess pat = nodes.start("pat", Nodes.password("pat"), false);
        pat.awaitLine(l -> l.startsWith("logged in to ") && l.contains(" as pat"));
        NodeProcess pia = nodes.start("pia", Nodes.password("pia"), false);
        pia.awaitLine(l -> l.startsWith("logged in to ") && l.contains(" as pia"));
        pat.awaitLine(l -> l.equals("* pia logged in"));

        pat.send("message pia hi");
        pat.awaitLine(l -> l.equals("[relay] to pia: hi"));
        pia.awaitLine(l -> l.equals("[relay] pat: hi"));
        pia.send("frobnicate");
        pia.awaitLine(l -> l.startsWith("error: unknown command 'frobnicate'"));

        pia.closeInput();
        pia.awaitLine(l -> l.equals("logged out"));
        assertEquals(ExitCode.OK, pia.exitCode());
        pat.awaitLine(l -> l.equals("* pia logged out"));
        assertTrue(pat.outputs().stream().noneMatch(o -> o.line().startsWith("{")), pat.transcript());
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
