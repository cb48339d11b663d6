package dev.parley.node.delivery;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Shows each message once, by sender and id, across restarts of the node: the ids of the newest
 * {@value #WINDOW} messages shown are kept in {@code DATA_DIR/shown/USER.log} ({@link ShownLog}).
 * The server sends a message again until the node acknowledges it, and a sender sends again what
 * the server or a peer did not confirm; so the window only has to reach back to the messages that
 * can still come again, a few in flight at a crash, far fewer than it holds.
 *
 * <p>The order is: print (and flush the output), then record, then acknowledge. A crash between
 * printing and recording shows that message again after the restart (the server still has it):
 * a repeat the user can see. Recording first would instead lose a message for good if the crash
 * came before printing, since the record would drop the repeat. Acknowledging last keeps the
 * message at the server until it is recorded.
 *
 * <p>Each message is flushed and recorded on its own, straight after it is printed: two small
 * writes, so a crash of the process can catch at most the one message between them. (Recording
 * once per event-loop turn was tried: a backlog arrives in turns of hundreds of messages, and a
 * kill in the middle of one showed all it had printed again.) Forcing the file to disk is what
 * costs, a few milliseconds: a separate thread does it, once for every message recorded since
 * its last force, and only then are those messages acknowledged. Printing never waits for it.
 */
public final class ShownMessages implements AutoCloseable {
    /** Keys kept: in memory, and in the file after a rewrite. */
    static final int WINDOW = 10_000;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final int window;
    private final Consumer<String> warnings;
    private final ExecutorService forcer;
    /** Null when nothing is kept on disk (no data directory, or the file failed). */
    private ShownLog log;
    private final String where;
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    /** The newest keys written to the file, oldest first: what a rewrite keeps. */
    private final ArrayDeque<String> recorded = new ArrayDeque<>();
    private List<Runnable> awaitingForce = new ArrayList<>();
    private boolean forceQueued;
    private boolean closed;

    private ShownMessages(ShownLog log, String where, List<String> loaded, int window, Consumer<String> warnings) {
        this.log = log;
        this.where = where;
        this.window = window;
        this.warnings = warnings;
        for (String key : loaded) {
            remember(key);
            recorded.addLast(key);
        }
        this.forcer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shown-messages-force");
            t.setDaemon(true);
            return t;
        });
    }

    /** Nothing kept on disk: shown once while the program runs (for nodes without a data directory). */
    public static ShownMessages inMemory() {
        return new ShownMessages(null, null, List.of(), WINDOW, w -> { });
    }

    /** The record of what {@code user} has been shown, in {@code dataDir/shown/}; problems are warnings, never failures. */
    public static ShownMessages open(Path dataDir, String user, Consumer<String> warnings) {
        return open(dataDir.resolve("shown").resolve(user.toLowerCase(java.util.Locale.ROOT) + ".log"), WINDOW, warnings);
    }

    static ShownMessages open(Path file, int window, Consumer<String> warnings) {
        ShownLog.Loaded loaded;
        try {
            loaded = ShownLog.read(file, window);
        } catch (IOException | RuntimeException e) {
            warnings.accept("cannot read the record of messages already shown (" + file + ": " + describe(e)
                    + "); messages shown before may be shown again");
            loaded = new ShownLog.Loaded(List.of(), 0, 0, false);
        }
        if (!loaded.intact()) {
            warnings.accept("the record of messages already shown (" + file + ") was damaged, probably by a crash: "
                    + (loaded.damaged() > 0 ? loaded.damaged() + " unreadable line(s) skipped" : "")
                    + (loaded.damaged() > 0 && loaded.unfinishedLast() ? ", " : "")
                    + (loaded.unfinishedLast() ? "an unfinished last line skipped" : "")
                    + "; a message shown just before that may be shown again");
        }
        ShownLog log = null;
        try {
            log = ShownLog.open(file, loaded.lines());
            // A damaged or oversized file is rewritten at once, so new lines never follow a broken one.
            if (!loaded.intact() || loaded.lines() > 2 * window) {
                log.rewrite(loaded.keys());
            }
        } catch (IOException | RuntimeException e) {
            warnings.accept("cannot write the record of messages already shown (" + file + ": " + describe(e)
                    + "); after a crash, messages shown from now on may be shown again");
            closeQuietly(log);
            log = null;
        }
        return new ShownMessages(log, file.toString(), loaded.keys(), window, warnings);
    }

    /**
     * Runs {@code show} if this message has not been shown before, then {@code acknowledge} once
     * it is recorded on disk (for a repeat too: the first acknowledgement may be what got lost).
     * {@code show} must return only once the message is out: printed and flushed.
     */
    public void showOnce(String from, String id, Runnable show, Runnable acknowledge) {
        String key = ShownLog.key(from, id);
        Context loop = Context.isOnEventLoopThread() ? Vertx.currentContext() : null;
        // The acknowledgement goes out on the caller's event loop, like everything else it does.
        Runnable ack = loop == null ? acknowledge : () -> loop.runOnContext(v -> acknowledge.run());
        boolean runNow;
        synchronized (this) {
            // Checked, shown and recorded under one lock: a copy arriving by another path waits.
            if (remember(key)) {
                show.run();
                write(key);
            }
            runNow = log == null || closed;
            if (!runNow) {
                awaitingForce.add(ack);
                if (!forceQueued) {
                    forceQueued = true;
                    forcer.execute(this::force);
                }
            }
        }
        if (runNow) {
            ack.run(); // nothing on disk to wait for
        }
    }

    /** Appends the key (to the operating system: a crash of this process cannot lose it). */
    private void write(String key) {
        if (log == null) {
            return;
        }
        try {
            log.append(List.of(key));
            recorded.addLast(key);
            if (recorded.size() > window) {
                recorded.removeFirst();
            }
            if (log.lines() > 2 * window) {
                // Rare (once per WINDOW messages) and quick: well under a megabyte, written and forced.
                log.rewrite(recorded);
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    /** One force for every message recorded since the last: group commit. */
    private void force() {
        List<Runnable> acks;
        ShownLog l;
        synchronized (this) {
            acks = awaitingForce;
            awaitingForce = new ArrayList<>();
            forceQueued = false;
            l = log;
        }
        if (l != null) {
            try {
                l.force();
            } catch (IOException e) {
                synchronized (this) {
                    failed(e);
                }
            }
        }
        // Acknowledged even if the disk failed: the user was warned, and holding them would only
        // make the server send them again and again.
        acks.forEach(Runnable::run);
    }

    /**
     * Completes once every acknowledgement of a message shown so far has been handed on (after
     * its record reached the disk): a logout waits for it, so that the server does not keep, and
     * deliver again, what was shown just before.
     */
    public CompletableFuture<Void> settled() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            // Not "nothing awaits a force": a force may be running, its acknowledgements not out yet.
            if (closed || log == null) {
                done.complete(null);
                return done;
            }
            try {
                forcer.execute(() -> done.complete(null)); // one thread: runs after the forces queued before it
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done.complete(null);
            }
        }
        return done;
    }

    /** Waits (a few seconds at most) for the last force, then closes the file. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true; // from here on, acknowledgements go out at once: no more forces
        }
        forcer.shutdown();
        try {
            forcer.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeQuietly(log);
            log = null;
        }
    }

    /** True the first time a key is seen; the oldest are forgotten past the window. */
    private boolean remember(String key) {
        if (!seen.add(key)) {
            return false;
        }
        if (seen.size() > window) {
            var oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    private void failed(IOException e) {
        if (log == null) {
            return; // already warned
        }
        warnings.accept("cannot record messages as shown (" + where + ": " + describe(e)
                + "); after a crash, messages shown from now on may be shown again");
        closeQuietly(log);
        log = null;
    }

    private static void closeQuietly(ShownLog log) {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                // Closing after a failure: nothing more to do.
            }
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
