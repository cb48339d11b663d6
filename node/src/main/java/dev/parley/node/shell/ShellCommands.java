package dev.parley.node.shell;

import dev.parley.node.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The shell's commands, one picocli class each, so that parsing, {@code help} and completion all
 * come from these definitions. A command returns 0, or {@link #LOGOUT} / {@link #QUIT} to end the
 * session or the program; what it started is handed to {@link Tracker}.
 */
public final class ShellCommands {
    public static final int LOGOUT = 101;
    public static final int QUIT = 102;

    /** Remembers the requests a command started, so the program can wait for their answers. */
    public interface Tracker {
        void track(CompletableFuture<?> request);
    }

    /** A command whose last parameter is free text, taken from the rest of the line as typed. */
    interface TakesText {
        /** Words before the text. */
        int wordsBeforeText();
    }

    /**
     * A command whose words bind to its parameters one to one, so the runner may skip picocli's
     * parser (most of the cost of sending a message); see {@link CommandRunner}. Must do exactly
     * what picocli would have done with the same words.
     */
    interface UserAndText {
        Integer run(String user, String text);
    }

    private ShellCommands() {
    }

    /** Every command, each a stand-alone picocli command line, by name and by alias. */
    public record Catalog(List<CommandLine> commands, Map<String, CommandLine> byName) {
        public Optional<CommandLine> find(String name) {
            return Optional.ofNullable(byName.get(name));
        }
    }

    /** All commands, wired to the node. */
    public static Catalog build(Node node, Tracker tracker) {
        Help help = new Help(node);
        List<CommandLine> commands = new ArrayList<>();
        for (Object command : List.of(
                new Message(node, tracker), new Broadcast(node, tracker), new WhoElse(node, tracker),
                new WhoElseSince(node, tracker), new Block(node, tracker), new Unblock(node, tracker),
                new Blocked(node, tracker), new GetAddress(node, tracker), new ConsentCmd(node, tracker),
                new DenyCmd(node, tracker), new Private(node, tracker), new StopPrivate(node, tracker),
                new FingerprintCmd(node, tracker), new WhoAmI(node), new Logout(), new Quit(), help)) {
            // Text is free-form: a word like "-x" or "--" in it is text, never an option, and a
            // word like "@notes" is text too, never the contents of a local file called notes.
            // (So words bind verbatim, which lets CommandRunner skip the parser for messages.)
            commands.add(new CommandLine(command).setUnmatchedOptionsArePositionalParams(true)
                    .setEndOfOptionsDelimiter("\u0000--").setExpandAtFiles(false));
        }
        Map<String, CommandLine> byName = new LinkedHashMap<>();
        for (CommandLine c : commands) {
            byName.put(c.getCommandName(), c);
            for (String alias : c.getCommandSpec().aliases()) {
                byName.put(alias, c);
            }
        }
        Catalog catalog = new Catalog(List.copyOf(commands), Map.copyOf(byName));
        help.catalog = catalog;
        return catalog;
    }

    abstract static class Base implements Callable<Integer> {
        final Node node;
        final Tracker tracker;

        Base(Node node, Tracker tracker) {
            this.node = node;
            this.tracker = tracker;
        }

        Integer started(CompletableFuture<?> request) {
            tracker.track(request);
            return 0;
        }
    }

    @Command(name = "message", aliases = "msg", description = "Send a message to one user (also: @user text).")
    static final class Message extends Base implements TakesText, UserAndText {
        @Parameters(index = "0", paramLabel = "<user>", description = "who to send it to")
        String user;
        @Parameters(index = "1", paramLabel = "<text>", description = "the message, to the end of the line")
        String text;

        Message(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public int wordsBeforeText() {
            return 1;
        }

        @Override
        public Integer call() {
            return run(user, text);
        }

        @Override
        public Integer run(String user, String text) {
            return started(node.commands().message(user, text));
        }
    }

    @Command(name = "broadcast", description = "Send a message to everyone online (except blocks either way).")
    static final class Broadcast extends Base implements TakesText {
        @Parameters(index = "0", paramLabel = "<text>", description = "the message, to the end of the line")
        String text;

        Broadcast(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public int wordsBeforeText() {
            return 0;
        }

        @Override
        public Integer call() {
            return started(node.commands().broadcast(text));
        }
    }

    @Command(name = "whoelse", aliases = "online", description = "List the other users online now.")
    static final class WhoElse extends Base {
        WhoElse(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().whoelse());
        }
    }

    @Command(name = "whoelsesince", description = "List users online now or in the last <seconds>.")
    static final class WhoElseSince extends Base {
        @Parameters(index = "0", paramLabel = "<seconds>", description = "how far back to look")
        long seconds;

        WhoElseSince(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            if (seconds < 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "<seconds> must not be negative");
            }
            return started(node.commands().whoelsesince(seconds));
        }
    }

    @Command(name = "block", description = "Block a user: no messages, broadcasts or presence either way.")
    static final class Block extends Base {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;

        Block(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().block(user));
        }
    }

    @Command(name = "unblock", description = "Unblock a user you blocked.")
    static final class Unblock extends Base {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;

        Unblock(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().unblock(user));
        }
    }

    @Command(name = "blocked", description = "List the users you block.")
    static final class Blocked extends Base {
        Blocked(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().blocked());
        }
    }

    @Command(name = "getaddress", aliases = "startprivate",
            description = "Ask <user> for a direct link; it starts once they consent.")
    static final class GetAddress extends Base {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;

        GetAddress(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().getaddress(user));
        }
    }

    @Command(name = "consent", description = "Let <user>, who asked, connect to you directly.")
    static final class ConsentCmd extends Base {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;

        ConsentCmd(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().consent(user));
        }
    }

    @Command(name = "deny", description = "Refuse <user>'s request for a direct link.")
    static final class DenyCmd extends Base {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;

        DenyCmd(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().deny(user));
        }
    }

    @Command(name = "private", description = "Send a message over the direct link only.")
    static final class Private extends Base implements TakesText, UserAndText {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;
        @Parameters(index = "1", paramLabel = "<text>", description = "the message, to the end of the line")
        String text;

        Private(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public int wordsBeforeText() {
            return 1;
        }

        @Override
        public Integer call() {
            return run(user, text);
        }

        @Override
        public Integer run(String user, String text) {
            return started(node.commands().privateMessage(user, text));
        }
    }

    @Command(name = "stopprivate", description = "Close the direct link with <user> and withdraw consent.")
    static final class StopPrivate extends Base {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;

        StopPrivate(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().stopprivate(user));
        }
    }

    @Command(name = "fingerprint", description = "Show <user>'s identity key fingerprint, as the server vouches for it.")
    static final class FingerprintCmd extends Base {
        @Parameters(index = "0", paramLabel = "<user>")
        String user;

        FingerprintCmd(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().fingerprint(user));
        }
    }

    @Command(name = "whoami", description = "Show who you are logged in as, where, and your key's fingerprint.")
    static final class WhoAmI implements Callable<Integer> {
        private final Node node;

        WhoAmI(Node node) {
            this.node = node;
        }

        @Override
        public Integer call() {
            node.commands().whoami();
            return 0;
        }
    }

    @Command(name = "logout", description = "Log out (an interactive shell then asks you to log in again).")
    static final class Logout implements Callable<Integer> {
        @Override
        public Integer call() {
            return LOGOUT;
        }
    }

    @Command(name = "quit", aliases = "exit", description = "Log out and leave (also Ctrl-D, Ctrl-C).")
    static final class Quit implements Callable<Integer> {
        @Override
        public Integer call() {
            return QUIT;
        }
    }

    @Command(name = "help", description = "List the commands, or explain one: help <command>.")
    static final class Help implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "<command>")
        String command;
        private final Node node;
        private Catalog catalog;

        Help(Node node) {
            this.node = node;
        }

        @Override
        public Integer call() {
            node.print(HelpText.of(catalog, command));
            command = null; // picocli reuses this object for the next line
            return 0;
        }
    }
}
