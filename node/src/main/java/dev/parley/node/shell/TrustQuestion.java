package dev.parley.node.shell;

import dev.parley.node.Node;
import dev.parley.node.output.Event;
import dev.parley.node.trust.ServerTrust;
import java.util.List;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;

/**
 * Asks on the terminal whether to trust a server's self-signed certificate the first time (trust on
 * first use). The answer is not a command: it is read without history, so it is never recalled or
 * saved with the commands.
 */
public final class TrustQuestion implements ServerTrust.Prompt {
    private final Node node;
    private final LineReader questions;

    public TrustQuestion(Node node, Terminal terminal) {
        this.node = node;
        this.questions = InteractiveShell.questions(terminal);
    }

    @Override
    public boolean confirm(String hostPort, String fingerprint) {
        node.print(Event.of("trust").with("server", hostPort).with("fingerprint", fingerprint).saysLines(List.of(
                "The server " + hostPort + " has a self-signed certificate with fingerprint",
                "  " + fingerprint,
                "Compare it with the one the server printed at start (ask its operator).")));
        String answer = questions.readLine("Trust it and remember it? [yes/no] ").strip();
        return answer.equalsIgnoreCase("yes") || answer.equalsIgnoreCase("y");
    }
}
