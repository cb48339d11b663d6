package dev.parley.node.shell;

import dev.parley.node.Node;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names (from the picocli definitions) for the first word; then
 * usernames where a command takes one — users online, or for {@code unblock} the ones you block.
 */
public final class NameCompleter implements Completer {
    private final ShellCommands.Catalog commands;
    private final Node node;

    public NameCompleter(ShellCommands.Catalog commands, Node node) {
        this.commands = commands;
        this.node = node;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (String name : commands.byName().keySet()) {
                candidates.add(new Candidate(name));
            }
            for (String user : node.onlineUsers()) {
                candidates.add(new Candidate("@" + user, "@" + user, null, null, " ", null, true));
            }
            return;
        }
        if (line.wordIndex() != 1) {
            return;
        }
        String command = line.words().get(0);
        Set<String> names = new LinkedHashSet<>();
        switch (command) {
            case "message", "msg", "block", "getaddress", "startprivate", "private", "consent", "deny",
                    "stopprivate", "fingerprint" -> names.addAll(node.onlineUsers());
            case "unblock" -> names.addAll(node.blockedUsers());
            case "help" -> names.addAll(commands.byName().keySet());
            default -> {
                // no argument to complete
            }
        }
        names.forEach(n -> candidates.add(new Candidate(n)));
    }
}
