package dev.parley.rendezvous.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.support.Sessions;
import dev.parley.rendezvous.support.Users;
import dev.parley.testsupport.SessionClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Receipts are written in groups, after the sender has heard 'delivered'. A user who logs in again
 * before their receipts are written must not be sent what they already acknowledged (their node
 * would drop the repeats, but they would come ahead of, and delay, what is new).
 */
@QuarkusTest
@TestProfile(AcknowledgedStaysReadTest.Held.class)
class AcknowledgedStaysReadTest {
    public static class Held implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldMessageStore.class);
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    HeldMessageStore store;

    @Test
    void whatWasAcknowledgedIsNotPushedAgainBeforeItsReceiptIsWritten() throws Exception {
        String bob = Users.register(Users.fresh("bob"));
        try (SessionClient alice = Sessions.login(base, Users.register(Users.fresh("alice")))) {
            List<String> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(Sessions.sendStored(alice, bob, "while away " + i));
            }
            store.holdReceipts();
            try {
                try (SessionClient first = Sessions.login(base, bob)) {
                    for (int i = 0; i < waiting.size(); i++) {
                        ServerMessage.Deliver d = first.await(ServerMessage.Deliver.class, m -> true);
                        first.send(new ClientMessage.Ack(null, d.messageId()));
                    }
                    for (String id : waiting) {
                        alice.await(ServerMessage.Delivered.class, d -> d.messageId().equals(id));
                    }
                }
                store.awaitHeld(); // the receipts wait in the writer
                try (SessionClient again = Sessions.login(base, bob)) {
                    store.release();
                    String fresh = Sessions.sendStored(alice, bob, "after you came back");
                    assertEquals(fresh, again.await(ServerMessage.Deliver.class, m -> true).messageId(),
                            "the first message on the new session is the new one, not one already read");
                    again.assertNone(ServerMessage.Deliver.class, m -> true);
                }
            } finally {
                store.release();
            }
        }
    }
}
