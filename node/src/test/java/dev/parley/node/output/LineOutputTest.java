package dev.parley.node.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lines printed off the event loop are out at once; on it, at the end of the loop's turn. */
class LineOutputTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    // Buffered like standard output: nothing reaches the sink until a flush.
    private final LineOutput output = new LineOutput(new PrintStream(new BufferedOutputStream(sink), false, StandardCharsets.UTF_8));
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void offTheEventLoopEachLineIsFlushedAtOnce() {
        output.println("one");
        assertEquals("one\n", written());
    }

    @Test
    void onTheEventLoopLinesGoOutTogetherWhenTheTurnEnds() throws Exception {
        Context loop = vertx.getOrCreateContext(); // one event loop for both tasks, so they run in order
        CompletableFuture<String> duringTurn = new CompletableFuture<>();
        loop.runOnContext(v -> {
            output.println("one");
            output.println("two");
            duringTurn.complete(written());
        });
        assertEquals("", duringTurn.get(10, TimeUnit.SECONDS), "held back while the turn is still running");
        // Tasks run in order: the flush the first line queued runs before this one.
        CompletableFuture<String> afterTurn = new CompletableFuture<>();
        loop.runOnContext(v -> afterTurn.complete(written()));
        assertEquals("one\ntwo\n", afterTurn.get(10, TimeUnit.SECONDS));
    }

    private String written() {
        synchronized (sink) {
            return sink.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        }
    }
}
