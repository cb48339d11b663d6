package dev.parley.node.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.node.ExitCode;
import dev.parley.node.FakeRendezvous;
import dev.parley.node.Node;
import dev.parley.node.RecordingPrinter;
import dev.parley.node.output.Event;
import dev.parley.node.server.Connection;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scripted mode's exit status against a stand-in server: 3 when anything stayed unconfirmed. */
class ScriptModeTest {
    private Vertx serverVertx;
    private FakeRendezvous server;
    private final RecordingPrinter printer = new RecordingPrinter();

    @BeforeEach
    void start() throws Exception {
        serverVertx = Vertx.vertx();
        server = FakeRendezvous.start(serverVertx);
        server.welcomeAs("alice");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int run(String script) throws Exception {
        Vertx nodeVertx = Vertx.vertx();
        Node node = new Node(printer, "http://127.0.0.1");
        try (Connection connection = new Connection(nodeVertx, server.client(nodeVertx), server.codec())) {
            return new ScriptMode(connection, node, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)),
                    Duration.ofSeconds(1)).run("alice", Optional.of("password"), false);
        }
    }

    @Test
    void aMessageTheServerNeverConfirmedIsReportedByItsIdAndTheExitStatusIs3() throws Exception {
        // The server takes the sends but never answers them.
        int status = run("message bob first\nmessage carol second\nwhoelse\n");

        assertEquals(ExitCode.UNANSWERED, status, printer.events().toString());
        List<Event> errors = printer.events().stream().filter(e -> e.name().equals("error")).toList();
        FakeRendezvous.Session session = server.nextSession();
        for (String to : List.of("bob", "carol")) {
            ClientMessage.Send send = (ClientMessage.Send) session.next();
            assertEquals(to, send.to());
            Event error = errors.stream().filter(e -> send.messageId().equals(e.fields().get("id"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no error names " + send.messageId() + ": " + errors));
            assertEquals(to, error.fields().get("to"));
            String message = (String) error.fields().get("message");
            assertTrue(message.contains(send.messageId()) && message.contains("not confirmed"), message);
        }
        assertTrue(errors.stream().anyMatch(e -> ((String) e.fields().get("message")).startsWith("whoelse not confirmed")),
                errors.toString());
        assertTrue(((String) printer.last().fields().get("message")).contains("3 commands stayed unconfirmed"),
                printer.last().toString());
    }

    @Test
    void whenEverythingIsConfirmedTheExitStatusIs0() throws Exception {
        server.answer(m -> m instanceof ClientMessage.Send s
                ? new ServerMessage.Sent(s.id(), s.messageId(), s.to(), ServerMessage.Via.relay) : null);

        assertEquals(ExitCode.OK, run("message bob first\nmessage carol second\n"), printer.events().toString());
        assertEquals(2, printer.events().stream().filter(e -> e.name().equals("sent")).count());
    }
}
