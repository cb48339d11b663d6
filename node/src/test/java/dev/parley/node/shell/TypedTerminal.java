package dev.parley.node.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * A JLine dumb terminal for the interactive shell run inside the test (the shell's unit tests and
 * the e2e ones): the test types on its keyboard and waits, with a deadline, for text to appear on
 * its screen.
 */
public final class TypedTerminal implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int END = -1;

    private final LinkedBlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Terminal terminal;

    public TypedTerminal() throws IOException {
        InputStream keyboard = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    int key = keys.take();
                    if (key == END) {
                        keys.add(END); // stays ended
                    }
                    return key;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
            }
        };
        OutputStream display = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (screen) {
                    screen.write(b);
                    screen.notifyAll();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (screen) {
                    screen.write(b, off, len);
                    screen.notifyAll();
                }
            }
        };
        terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, keyboard, display, StandardCharsets.UTF_8);
    }

    public Terminal terminal() {
        return terminal;
    }

    public void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            keys.add(b & 0xff);
        }
    }

    /** Ctrl-C: the interrupt signal a real terminal raises for the key. */
    public void interrupt() {
        terminal.raise(Terminal.Signal.INT);
    }

    /** Everything on the screen so far. */
    public String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until {@code text} appears on the screen at or after {@code from}; returns where it ends. */
    public int await(String text, int from) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (screen) {
            while (true) {
                String shown = screen.toString(StandardCharsets.UTF_8);
                int at = shown.indexOf(text, Math.min(from, shown.length()));
                if (at >= 0) {
                    return at + text.length();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no '" + text + "' on the screen within " + TIMEOUT + "; after position " + from
                            + " it shows:\n" + shown.substring(Math.min(from, shown.length())));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(screen, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for '" + text + "'", e);
                }
            }
        }
    }

    /** Ends the keyboard (Ctrl-D for a shell still reading). */
    @Override
    public void close() {
        keys.add(END);
    }
}
