package dev.parley.bench;

import java.time.Duration;

/**
 * Subjects {@code node-direct} and {@code node-relay}: two real nodes driven through their
 * scripted {@code --json} interface. The receiver has a message when its node prints it; the
 * sender's receipt is end to end either way ({@code sent} via direct carries the peer's receipt;
 * through the server it is the {@code delivered} event).
 */
final class NodePair implements RelayPair {
    private final String subject;
    private final ChildProcess sender;
    private final ChildProcess receiver;
    private final String receiverName;
    private final boolean direct;

    /** The nodes belong to the caller, who stops them. */
    NodePair(String subject, ChildProcess sender, ChildProcess receiver, String receiverName, boolean direct) {
        this.subject = subject;
        this.sender = sender;
        this.receiver = receiver;
        this.receiverName = receiverName;
        this.direct = direct;
    }

    @Override
    public String subject() {
        return subject;
    }

    @Override
    public String countedAt() {
        return direct ? "receiver+sent(direct)" : "receiver+delivered";
    }

    @Override
    public void send(String text) {
        sender.send("message " + receiverName + " " + text);
    }

    @Override
    public long awaitReceived(Duration limit) throws InterruptedException {
        String line = receiver.await(l -> l.contains("\"event\":\"message\"") || l.contains("\"event\":\"error\""), limit,
                subject + ": a message at " + receiverName);
        if (!line.contains("\"event\":\"message\"")) {
            throw new IllegalStateException(subject + ": the receiving node reported " + line);
        }
        return System.nanoTime();
    }

    @Override
    public long awaitConfirmed(Duration limit) throws InterruptedException {
        while (true) {
            String line = sender.await(l -> l.contains("\"event\":\"sent\"") || l.contains("\"event\":\"delivered\"")
                    || l.contains("\"event\":\"error\""), limit, subject + ": the sender's receipt");
            if (line.contains("\"event\":\"error\"")) {
                throw new IllegalStateException(subject + ": the sending node reported " + line);
            }
            boolean sent = line.contains("\"event\":\"sent\"");
            if (sent && !line.contains(direct ? "\"via\":\"direct\"" : "\"via\":\"relay\"")) {
                throw new IllegalStateException(subject + ": a message went the wrong way: " + line);
            }
            if (direct == sent) {
                return System.nanoTime();
            }
        }
    }
}
