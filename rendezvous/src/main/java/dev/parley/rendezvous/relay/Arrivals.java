package dev.parley.rendezvous.relay;

import java.util.HashMap;
import java.util.Map;

/**
 * One recipient's incoming messages as the relay counts them, guarded by this object: the lock that
 * keeps a recipient's messages numbered and pushed one at a time (see {@link RelayService#send}), the
 * highest sequence number taken, and how many wait (taken and not acknowledged), in all and per
 * sender, for the quotas. The counts start from the store's at start-up and are kept in memory
 * after that, so no message needs a count query.
 */
final class Arrivals {
    /** Written under this object, read without it (volatile) by a push checking how far the store must be behind. */
    private volatile long highestSeq;
    private long total;
    private final Map<String, Long> bySender = new HashMap<>();

    /** Records a message numbered {@code seq}; returns the highest sequence number taken before it. */
    long taken(long seq, String senderKey) {
        long before = highestSeq;
        highestSeq = Math.max(before, seq);
        add(senderKey, 1);
        return before;
    }

    long highestSeq() {
        return highestSeq;
    }

    long total() {
        return total;
    }

    long from(String senderKey) {
        return bySender.getOrDefault(senderKey, 0L);
    }

    /** A message from {@code senderKey} no longer waits (acknowledged, or found stored already). */
    void gone(String senderKey) {
        add(senderKey, -1);
    }

    /** Everything from {@code senderKey} is dropped. */
    void forgetAll(String senderKey) {
        Long n = bySender.remove(senderKey);
        total = Math.max(0, total - (n == null ? 0 : n));
    }

    void add(String senderKey, long n) {
        long now = Math.max(0, from(senderKey) + n);
        long delta = now - from(senderKey);
        if (now == 0) {
            bySender.remove(senderKey);
        } else {
            bySender.put(senderKey, now);
        }
        total = Math.max(0, total + delta);
    }
}
