package dev.parley.rendezvous.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The relay's one writer: takes stores, receipts and forgets from a queue in arrival order and
 * writes everything that queued up while the last group committed as one transaction (group
 * commit). Under load a group holds hundreds of messages for one commit; when idle, a group is
 * the one message there is, written at once. Only after the commit are the waiters told.
 */
final class GroupWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GroupWriter.class);
    /** Most writes in one transaction. */
    static final int MAX_GROUP = 1000;
    /**
     * How long a group stays open after its first write, for more to join it. A commit costs the
     * same for one write as for hundreds (H2 rewrites its chunk layout, PostgreSQL flushes its
     * log), and a message its recipient acknowledges meanwhile need not be written at all. The
     * price is as much added to 'sent' (delivery does not wait for it).
     */
    static final long GROUP_WAIT_NANOS = 1_000_000;
    private static final int ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MILLIS = 200;

    /** A receipt to write, and what to do once it is (with whether it removed a message). */
    record ReceiptWrite(MessageStore.Receipt receipt, Consumer<Boolean> then) {
    }

    /** Runs once everything queued before it is written (or failed): for shutdown and tests. */
    record Barrier(Runnable then) {
    }

    /** What becomes of a group's stores once it committed (or failed). */
    interface Completion {
        /** Written (or, if {@code alreadyStored} is given, found stored already under that owner), or not needed. */
        void stored(PendingMessage message, MessageStore.Owner alreadyStored);

        /** The store refused the group: the message was not stored. */
        void failed(PendingMessage message, RuntimeException failure);

        /** After each group, the recipients it stored messages for (their pushes may wait for it). */
        void groupDone(List<PendingMessage> stores);
    }

    private final MessageStore store;
    private final Completion completion;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    GroupWriter(MessageStore store, Completion completion) {
        this.store = store;
        this.completion = completion;
        this.thread = new Thread(this::run, "parley-relay-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void store(PendingMessage message) {
        queue.add(message);
    }

    void receipt(MessageStore.Receipt receipt, Consumer<Boolean> then) {
        queue.add(new ReceiptWrite(receipt, then));
    }

    void forget(MessageStore.Forget forget) {
        queue.add(forget);
    }

    void barrier(Runnable then) {
        queue.add(new Barrier(then));
    }

    /** Writes in the queue now, for metrics and tests. */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Object> group = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                long closeAt = System.nanoTime() + GROUP_WAIT_NANOS;
                queue.drainTo(group, MAX_GROUP - 1);
                for (long left = closeAt - System.nanoTime(); left > 0 && group.size() < MAX_GROUP;
                        left = closeAt - System.nanoTime()) {
                    Object next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    group.add(next);
                    queue.drainTo(group, MAX_GROUP - group.size());
                }
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "relay writer: a group of %d failed outside its transaction", group.size());
            } finally {
                group.clear();
            }
        }
    }

    private void write(List<Object> group) throws InterruptedException {
        List<PendingMessage> stores = new ArrayList<>();
        List<PendingMessage> notNeeded = new ArrayList<>();
        List<ReceiptWrite> receipts = new ArrayList<>();
        List<MessageStore.Forget> forgets = new ArrayList<>();
        List<Barrier> barriers = new ArrayList<>();
        for (Object w : group) {
            if (w instanceof PendingMessage m) {
                (m.startWrite() ? stores : notNeeded).add(m);
            } else if (w instanceof ReceiptWrite r) {
                receipts.add(r);
            } else if (w instanceof MessageStore.Forget f) {
                forgets.add(f);
            } else if (w instanceof Barrier b) {
                barriers.add(b);
            }
        }
        MessageStore.Written written = null;
        RuntimeException failure = null;
        if (!stores.isEmpty() || !receipts.isEmpty() || !forgets.isEmpty()) {
            var batch = new MessageStore.Group(stores.stream().map(m -> m.message).toList(),
                    receipts.stream().map(ReceiptWrite::receipt).toList(), forgets);
            for (int attempt = 1; written == null && attempt <= ATTEMPTS; attempt++) {
                try {
                    written = store.write(batch);
                } catch (RuntimeException e) {
                    failure = e;
                    LOG.warnf("relay writer: group of %d stores, %d receipts failed (attempt %d of %d): %s",
                            stores.size(), receipts.size(), attempt, ATTEMPTS, e.getMessage());
                    if (attempt < ATTEMPTS) {
                        Thread.sleep(RETRY_PAUSE_MILLIS);
                    }
                }
            }
        }
        for (PendingMessage m : notNeeded) {
            completion.stored(m, null);
        }
        for (PendingMessage m : stores) {
            if (written != null) {
                completion.stored(m, written.alreadyStored().get(m.message.messageId()));
            } else {
                completion.failed(m, failure);
            }
        }
        for (int i = 0; i < receipts.size(); i++) {
            // A receipt that failed leaves the message stored: it is pushed again at the next login.
            receipts.get(i).then().accept(written != null && written.removed()[i]);
        }
        completion.groupDone(stores);
        barriers.forEach(b -> b.then().run());
    }

    /** Writes what is queued, then stops (waiting at most 10 s). */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
