package dev.parley.bench;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.TrustAnything;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Subject {@code parley-relay}: two wire-level sessions ({@link ParleyWire}) on the server, the
 * sender sending to the online receiver. The receiver acknowledges every delivery as a node does;
 * the sender's receipt is the server's {@code delivered}, i.e. acknowledged end to end.
 */
final class ParleyRelayPair implements RelayPair {
    private final Arrivals arrivals = new Arrivals();
    private final String receiverName;
    private final String prefix = "b" + Long.toHexString(System.nanoTime()) + "-";
    /** Set once both sessions are open; frames only need them after that. */
    private volatile WireClient sender;
    private volatile WireClient receiver;
    private long sent;
    private volatile int expectedLength = -1;

    private ParleyRelayPair(String receiverName) {
        this.receiverName = receiverName;
    }

    /**
     * Logs both users in and opens their sessions, each a {@link WireClient} with its own reader
     * thread (like two separate nodes). Returns once the server has welcomed both, i.e. both are
     * online and a message is relayed at once, not stored for later.
     */
    static ParleyRelayPair open(int port, String senderUser, String senderPassword, String receiverUser,
            String receiverPassword) throws Exception {
        ParleyRelayPair pair = new ParleyRelayPair(receiverUser);
        try {
            pair.receiver = pair.session(port, receiverUser, receiverPassword, pair::fromServerToReceiver);
            pair.sender = pair.session(port, senderUser, senderPassword, pair::fromServerToSender);
            return pair;
        } catch (Exception e) {
            pair.close();
            throw e;
        }
    }

    private WireClient session(int port, String user, String password, Consumer<ServerMessage> handler)
            throws Exception {
        HttpClient http = ParleyWire.http();
        CompletableFuture<Void> welcomed = new CompletableFuture<>();
        String token = ParleyWire.login(http, port, user, password).get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        WireClient wire = WireClient.open(TrustAnything.context("TLS", null), port, token, m -> {
            if (m instanceof ServerMessage.Welcome) {
                welcomed.complete(null);
            } else {
                handler.accept(m);
            }
        }, arrivals::failed);
        try {
            welcomed.get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            wire.close();
            throw new IllegalStateException("no welcome for " + user + " within " + ParleyWire.TIMEOUT);
        }
        return wire;
    }

    private void fromServerToReceiver(ServerMessage m) {
        if (m instanceof ServerMessage.Deliver d) {
            if (d.text().length() != expectedLength) {
                arrivals.failed("the receiver got " + d.text().length() + " characters, not " + expectedLength);
                return;
            }
            arrivals.received();
            receiver.send(new ClientMessage.Ack(null, d.messageId()));
        } else if (m instanceof ServerMessage.Error e) {
            arrivals.failed("the server refused the receiver: " + e.message());
        }
    }

    private void fromServerToSender(ServerMessage m) {
        if (m instanceof ServerMessage.Delivered) {
            arrivals.confirmed();
        } else if (m instanceof ServerMessage.Sent s && s.via() != ServerMessage.Via.relay) {
            arrivals.failed("the server stored a message instead of relaying it: the receiver is not online");
        } else if (m instanceof ServerMessage.Error e) {
            arrivals.failed("the server refused a message: " + e.message());
        }
    }

    @Override
    public String subject() {
        return "parley-relay";
    }

    @Override
    public String countedAt() {
        return "receiver+delivered";
    }

    @Override
    public void ready() {
        arrivals.check(subject());
    }

    @Override
    public void send(String text) {
        expectedLength = text.length();
        sent++;
        sender.send(new ClientMessage.Send(null, receiverName, text, prefix + sent));
    }

    @Override
    public long awaitReceived(Duration limit) throws InterruptedException {
        return arrivals.awaitReceived(limit, subject());
    }

    @Override
    public long awaitConfirmed(Duration limit) throws InterruptedException {
        return arrivals.awaitConfirmed(limit, subject());
    }

    @Override
    public void close() {
        for (WireClient wire : new WireClient[] {sender, receiver}) {
            if (wire != null) {
                wire.close();
            }
        }
    }
}
