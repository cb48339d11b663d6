package dev.parley.node.p2p;

import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.PunchPhase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the links told the node, one line per report, in order; {@link #next} waits for the next one. */
final class RecordingListener implements PeerLinks.Listener {
    final List<String> reports = new CopyOnWriteArrayList<>();
    /** Where punch signals go (the test plays the server); dropped until set. */
    volatile Signal signals = (user, phase, nonce) -> { };

    /** A punch signal as the node hands it to the server. */
    interface Signal {
        void send(String user, PunchPhase phase, String nonce);
    }
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();

    /** The next report not read yet, waiting for it up to {@code within}. */
    String next(Duration within) throws InterruptedException {
        String report = unread.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (report == null) {
            throw new AssertionError("no report within " + within + "; so far: " + reports);
        }
        return report;
    }

    private void add(String report) {
        reports.add(report);
        unread.add(report);
    }

    @Override
    public void linkUp(String user, String address, LinkHow how) {
        add("up " + user + " " + address + " " + how.word());
    }

    @Override
    public void punchSignal(String user, PunchPhase phase, String nonce) {
        signals.send(user, phase, nonce);
    }

    @Override
    public void linkDown(String user, String why) {
        add("down " + user + ": " + why);
    }

    @Override
    public void dialFailed(String user, String why) {
        add("failed " + user + ": " + why);
    }

    @Override
    public void refused(String why) {
        add("refused: " + why);
    }

    @Override
    public void received(String user, PeerFrame frame) {
        add("received " + user + " " + frame.getClass().getSimpleName());
    }
}
