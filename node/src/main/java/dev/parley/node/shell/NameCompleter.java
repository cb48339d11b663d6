package dev.parley.node.shell;

import dev.parley.node.Node;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion, from the picocli definitions: command names for the first word; then what the
 * command's first parameter names as its completion candidates (users online, for {@code unblock}
 * the ones you block, for {@code help} the commands).
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
        commands.find(line.words().get(0)).ifPresent(command -> {
            var parameters = command.getCommandSpec().positionalParameters();
            Iterable<String> names = parameters.isEmpty() ? null : parameters.get(0).completionCandidates();
            if (names != null) {
                names.forEach(n -> candidates.add(new Candidate(n)));
            }
        });
    }
}
