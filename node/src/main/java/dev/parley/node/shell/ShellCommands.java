package dev.parley.node.shell;

import dev.parley.node.Node;
import java.util.ArrayList;
import java.util.Iterator;
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
 * The shell's commands, one picocli class each (those that only name one user: a row of
 * {@link UserCommand}), so that parsing, {@code help} and completion all come from these
 * definitions. A command returns 0, or {@link #LOGOUT} / {@link #QUIT} to end the
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

    /** All commands, wired to the node, in the order {@code help} lists them. */
    public static Catalog build(Node node, Tracker tracker) {
        Help help = new Help(node);
        CommandLine.IFactory factory = candidatesFor(node, help);
        List<CommandLine> commands = new ArrayList<>();
        for (Object command : List.of(
                new Message(node, tracker), new Broadcast(node, tracker), new WhoElse(node, tracker),
                new WhoElseSince(node, tracker), UserCommand.BLOCK, UserCommand.UNBLOCK, new Blocked(node, tracker), new Contacts(node, tracker),
                UserCommand.GETADDRESS, UserCommand.CONSENT, UserCommand.DENY, new Private(node, tracker),
                UserCommand.STOPPRIVATE, UserCommand.FINGERPRINT, new WhoAmI(node), new Logout(), new Quit(), help)) {
            CommandLine c = command instanceof UserCommand row ? row.commandLine(node, tracker) : new CommandLine(command, factory);
            // Text is free-form: a word like "-x" or "--" in it is text, never an option, and a
            // word like "@notes" is text too, never the contents of a local file called notes.
            // (So words bind verbatim, which lets CommandRunner skip the parser for messages.)
            commands.add(c.setUnmatchedOptionsArePositionalParams(true)
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

    /**
     * Makes the completion candidates the annotated commands name ({@code completionCandidates =}),
     * which need the node: picocli creates them through this factory.
     */
    private static CommandLine.IFactory candidatesFor(Node node, Help help) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == OnlineUsers.class) {
                    return type.cast(new OnlineUsers(node));
                }
                if (type == CommandNames.class) {
                    return type.cast(new CommandNames(help));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
    }

    /** Completion for a {@code <user>}: the users online now. */
    static final class OnlineUsers implements Iterable<String> {
        private final Node node;

        OnlineUsers(Node node) {
            this.node = node;
        }

        @Override
        public Iterator<String> iterator() {
            return node.onlineUsers().iterator();
        }
    }

    /** Completion for {@code help <command>}: every command's name and alias. */
    static final class CommandNames implements Iterable<String> {
        private final Help help;

        CommandNames(Help help) {
            this.help = help;
        }

        @Override
        public Iterator<String> iterator() {
            return help.catalog.byName().keySet().iterator();
        }
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
        @Parameters(index = "0", paramLabel = "<user>", description = "who to send it to",
                completionCandidates = OnlineUsers.class)
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

    @Command(name = "contacts", description = "List your contacts (standing consent) and how each link goes: direct and how, or the relay and why.")
    static final class Contacts extends Base {
        Contacts(Node node, Tracker tracker) {
            super(node, tracker);
        }

        @Override
        public Integer call() {
            return started(node.commands().contacts());
        }
    }

    @Command(name = "private", description = "Send a message over the direct link only.")
    static final class Private extends Base implements TakesText, UserAndText {
        @Parameters(index = "0", paramLabel = "<user>", description = "who to send it to, over your direct link",
                completionCandidates = OnlineUsers.class)
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
        @Parameters(index = "0", arity = "0..1", paramLabel = "<command>", description = "the command to explain",
                completionCandidates = CommandNames.class)
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
