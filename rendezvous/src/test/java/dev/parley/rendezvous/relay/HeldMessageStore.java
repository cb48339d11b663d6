package dev.parley.rendezvous.relay;

import dev.parley.rendezvous.storage.Jdbc;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The relay's store with a brake: while held, a group with receipts waits (outside its
 * transaction) until released, as on a slow disk. Enabled by a test profile that needs the writer
 * behind the sessions.
 */
@Alternative
@Singleton
public class HeldMessageStore extends MessageStore {
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile CountDownLatch reached = new CountDownLatch(1);

    @Inject
    public HeldMessageStore(Jdbc jdbc) {
        super(jdbc);
    }

    /** From now, the next group with receipts waits for {@link #release}. */
    void holdReceipts() {
        reached = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    /** Waits until a group with receipts is being held. */
    void awaitHeld() throws InterruptedException {
        if (!reached.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no receipt reached the store within 10 s");
        }
    }

    void release() {
        release.countDown();
    }

    @Override
    public Written write(Group group) {
        if (!group.receipts().isEmpty() && release.getCount() > 0) {
            reached.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return super.write(group);
    }
}
