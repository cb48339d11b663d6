package dev.parley.bench;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.SessionSocket;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Figure 4 on one database: a sender stores N messages for an offline receiver, who then logs in;
 * how long until the receiver has them all (and until the sender has every delivery receipt, i.e.
 * the server has deleted them). The baseline, on the same server and database in the same round:
 * the same N messages relayed to the receiver while online.
 */
final class DrainBench implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final String SENDER = "sender";
    private static final String RECEIVER = "receiver";

    /** One round's times in seconds. */
    record Round(double liveSeconds, double storeSeconds, double drainSeconds, double drainAckedSeconds) {
    }

    private final Path work;
    private final Rendezvous server;
    private final HttpClient http = ParleyWire.http();
    private final String receiverToken;
    private final SessionSocket sender;
    private final String text;
    private int round;

    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile CountDownLatch sent = new CountDownLatch(0);
    private volatile CountDownLatch delivered = new CountDownLatch(0);
    private volatile CountDownLatch receiverGone = new CountDownLatch(0);

    DrainBench(Path serverJar, List<String> databaseOptions, int payload) throws Exception {
        work = Files.createTempDirectory("parley-drain");
        Path credentials = Files.writeString(work.resolve("credentials"),
                SENDER + " pw-" + SENDER + "\n" + RECEIVER + " pw-" + RECEIVER + "\n");
        List<String> options = new java.util.ArrayList<>(databaseOptions);
        options.addAll(Rendezvous.NO_QUOTA); // one sender stores the whole backlog
        server = Rendezvous.start(serverJar, work.resolve("server"), credentials, options);
        try {
            receiverToken = ParleyWire.login(http, server.port, RECEIVER, "pw-" + RECEIVER).get(1, TimeUnit.MINUTES);
            String senderToken = ParleyWire.login(http, server.port, SENDER, "pw-" + SENDER).get(1, TimeUnit.MINUTES);
            sender = ParleyWire.open(http, server.port, senderToken, this::toSender).get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        text = "d".repeat(payload);
    }

    private void toSender(ServerMessage m) {
        if (m instanceof ServerMessage.Sent) {
            sent.countDown();
        } else if (m instanceof ServerMessage.Delivered) {
            delivered.countDown();
        } else if (m instanceof ServerMessage.Presence p && p.events().stream()
                .anyMatch(c -> RECEIVER.equals(c.user()) && c.event() == ServerMessage.PresenceEvent.logout)) {
            receiverGone.countDown();
        } else if (m instanceof ServerMessage.Error e) {
            failure.compareAndSet(null, "the server refused a message: " + e.message());
        }
    }

    Round round(int n) throws Exception {
        round++;
        // Baseline: the receiver is online, every message is relayed at once.
        sent = new CountDownLatch(n);
        delivered = new CountDownLatch(n);
        Receiver live = new Receiver(n);
        SessionSocket receiver = ParleyWire.open(http, server.port, receiverToken, live::onFrame).get(1, TimeUnit.MINUTES);
        await(live.welcomed, "the receiver's session");
        long t0 = System.nanoTime();
        sendAll(n, "live");
        await(live.all, "the receiver to have " + n + " relayed messages");
        double liveSeconds = (System.nanoTime() - t0) / 1e9;
        await(delivered, "receipts for the relayed messages");
        leave(receiver);

        // Stored while the receiver is offline...
        sent = new CountDownLatch(n);
        delivered = new CountDownLatch(n);
        t0 = System.nanoTime();
        sendAll(n, "stored");
        await(sent, "the server to store " + n + " messages");
        double storeSeconds = (System.nanoTime() - t0) / 1e9;

        // ...and drained when it logs in.
        Receiver drain = new Receiver(n);
        t0 = System.nanoTime();
        receiver = ParleyWire.open(http, server.port, receiverToken, drain::onFrame).get(1, TimeUnit.MINUTES);
        await(drain.all, "the receiver to have " + n + " stored messages");
        double drainSeconds = (System.nanoTime() - t0) / 1e9;
        await(delivered, "receipts for the stored messages");
        double drainAckedSeconds = (System.nanoTime() - t0) / 1e9;
        leave(receiver);
        return new Round(liveSeconds, storeSeconds, drainSeconds, drainAckedSeconds);
    }

    private void sendAll(int n, String kind) {
        for (int i = 0; i < n; i++) {
            sender.send(new ClientMessage.Send(null, RECEIVER, i + " " + text, "r" + round + "-" + kind + "-" + i));
        }
    }

    private void leave(SessionSocket receiver) throws InterruptedException {
        receiverGone = new CountDownLatch(1);
        receiver.close();
        await(receiverGone, "the server to see the receiver go");
    }

    private void await(CountDownLatch latch, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!latch.await(100, TimeUnit.MILLISECONDS)) {
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + LIMIT + " waiting for " + what + " (" + latch.getCount() + " missing)");
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
    }

    /** The receiving side: acknowledges every message and checks they come in the order sent. */
    private final class Receiver {
        final CountDownLatch welcomed = new CountDownLatch(1);
        final CountDownLatch all;
        private final AtomicInteger next = new AtomicInteger();

        Receiver(int n) {
            all = new CountDownLatch(n);
        }

        void onFrame(SessionSocket socket, ServerMessage m) {
            if (m instanceof ServerMessage.Welcome) {
                welcomed.countDown();
            } else if (m instanceof ServerMessage.Deliver d) {
                int index = Integer.parseInt(d.text().substring(0, d.text().indexOf(' ')));
                if (index != next.getAndIncrement()) {
                    failure.compareAndSet(null, "message " + index + " arrived out of order");
                }
                socket.send(new ClientMessage.Ack(null, d.messageId()));
                all.countDown();
            }
        }
    }

    @Override
    public void close() throws IOException {
        sender.abort();
        server.close();
        Scratch.deleteDirectory(work);
    }
}
