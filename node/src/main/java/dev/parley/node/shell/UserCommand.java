package dev.parley.node.shell;

import dev.parley.node.Node;
import dev.parley.node.NodeCommands;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The commands that name one user and ask the server one thing about them, as one table: a row is
 * a whole command (its name is the row's, lower-cased), and picocli's programmatic model turns it
 * into a command like the annotated ones, so parsing, {@code help} and completion come from the
 * row. A new such command is one row, and its place in {@link ShellCommands#build}.
 */
enum UserCommand {
    BLOCK("Block a user: no messages, broadcasts or presence either way.", "who to block",
            Node::onlineUsers, NodeCommands::block),
    UNBLOCK("Unblock a user you blocked.", "who to unblock (one you block)", Node::blockedUsers, NodeCommands::unblock),
    GETADDRESS("Ask <user> for a direct link; it starts once they consent.", "who to link with directly",
            Node::onlineUsers, NodeCommands::getaddress, "startprivate"),
    CONSENT("Let <user>, who asked, connect to you directly.", "who asked you for a direct link",
            Node::onlineUsers, NodeCommands::consent),
    DENY("Refuse <user>'s request for a direct link.", "who asked you for a direct link",
            Node::onlineUsers, NodeCommands::deny),
    STOPPRIVATE("Close the direct link with <user> and withdraw consent.", "whose direct link to close",
            Node::onlineUsers, NodeCommands::stopprivate),
    FINGERPRINT("Show <user>'s identity key fingerprint, as the server vouches for it.", "whose key to show",
            Node::onlineUsers, NodeCommands::fingerprint);

    private final String description;
    private final String userDescription;
    /** The names completion offers for {@code <user>}. */
    private final Function<Node, Set<String>> candidates;
    private final BiFunction<NodeCommands, String, CompletableFuture<?>> action;
    private final String[] aliases;

    UserCommand(String description, String userDescription, Function<Node, Set<String>> candidates,
            BiFunction<NodeCommands, String, CompletableFuture<?>> action, String... aliases) {
        this.description = description;
        this.userDescription = userDescription;
        this.candidates = candidates;
        this.action = action;
        this.aliases = aliases;
    }

    /** This command wired to the node: what it starts is handed to the tracker. */
    CommandLine commandLine(Node node, ShellCommands.Tracker tracker) {
        PositionalParamSpec user = PositionalParamSpec.builder()
                .index("0")
                .arity("1")
                .required(true)
                .paramLabel("<user>")
                .description(userDescription)
                .type(String.class)
                .completionCandidates(() -> candidates.apply(node).iterator())
                .build();
        Callable<Integer> run = () -> {
            tracker.track(action.apply(node.commands(), user.getValue()));
            return 0;
        };
        CommandSpec spec = CommandSpec.wrapWithoutInspection(run)
                .name(name().toLowerCase(Locale.ROOT))
                .aliases(aliases)
                .addPositional(user);
        spec.usageMessage().description(description);
        return new CommandLine(spec);
    }
}
