package dev.parley.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.node.output.Event;
import dev.parley.node.p2p.Identity;
import dev.parley.node.route.MessageRouter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes in one process: a message goes over their link, is shown once, and its receipt comes back. */
class LinkedNodesTest {
    @TempDir
    Path dir;

    private final Vertx aliceVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final Vertx bobVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final RecordingPrinter alice = new RecordingPrinter();
    private final RecordingPrinter bob = new RecordingPrinter();

    @AfterEach
    void stop() throws Exception {
        aliceVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bobVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void messagesGoDirectAndAreConfirmedByTheReceiversReceipt() throws Exception {
        LinkedNodes.Side from = new LinkedNodes.Side("alice", aliceVertx, identity("alice"), alice);
        LinkedNodes.Side to = new LinkedNodes.Side("bob", bobVertx, identity("bob"), bob);
        try (LinkedNodes pair = LinkedNodes.open(from, to).get(30, TimeUnit.SECONDS)) {
            assertTrue(alice.events().stream().anyMatch(e -> e.name().equals("link-up")), alice.events().toString());
            assertTrue(bob.events().stream().anyMatch(e -> e.name().equals("link-up")), bob.events().toString());

            List<CompletableFuture<MessageRouter.Outcome>> sent = List.of(pair.send("hello ✓"), pair.send("x".repeat(1024)));
            for (CompletableFuture<MessageRouter.Outcome> s : sent) {
                assertEquals("direct", s.get(30, TimeUnit.SECONDS).via());
            }
            List<Event> shown = bob.events().stream().filter(e -> e.name().equals("message")).toList();
            assertEquals(List.of("hello ✓", "x".repeat(1024)), shown.stream().map(e -> e.fields().get("text")).toList());
            assertEquals("alice", shown.get(0).fields().get("from"));
            assertEquals("bob", shown.get(0).fields().get("to"));
        }
    }

    private Identity identity(String user) throws Exception {
        return Identity.loadOrCreate(dir.resolve(user), warning -> { });
    }
}
