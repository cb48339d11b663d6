package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;

/** A readLine blocked on a keyboard nobody types on returns as soon as the session ends. */
class ReadInterrupterTest {
    /** A keyboard that never sends a key. */
    private static final class Silent extends InputStream {
        @Override
        public int read() throws InterruptedIOException {
            try {
                new CountDownLatch(1).await();
                return -1;
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        }
    }

    @Test
    void theSessionEndingWakesABlockedReadLine() throws Exception {
        try (DumbTerminal terminal = new DumbTerminal(new Silent(), new ByteArrayOutputStream())) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            CompletableFuture<ReadInterrupter> started = new CompletableFuture<>();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread shell = new Thread(() -> {
                ReadInterrupter wake = new ReadInterrupter(Thread.currentThread());
                assertTrue(wake.startReading());
                started.complete(wake);
                try {
                    reader.readLine("alice> ");
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                } finally {
                    wake.stopReading();
                }
                assertFalse(Thread.currentThread().isInterrupted(), "no interrupt left for the next wait");
            });
            shell.start();
            ReadInterrupter wake = started.get(10, TimeUnit.SECONDS);
            // Whether or not readLine has reached its read yet, the interrupt is not lost.
            wake.sessionEnded();
            assertInstanceOf(UserInterruptException.class, outcome.get(10, TimeUnit.SECONDS));
            assertTrue(wake.ended());
            assertFalse(wake.startReading(), "no new read once the session has ended");
            shell.join(10_000);
        }
    }
}
