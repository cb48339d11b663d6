package dev.parley.rendezvous.relay;

/**
 * One recipient's stores: the lock that keeps them one at a time (see {@link RelayService#send}),
 * and the highest sequence number stored since the server started. With it a sender can tell
 * when reading the store back after its insert would return only its own message.
 */
final class Arrivals {
    /** Guarded by this object, which callers hold while they store and push. */
    private long highestStored;

    /** Records a store; returns the highest sequence number stored before it. */
    long stored(long seq) {
        long before = highestStored;
        highestStored = Math.max(before, seq);
        return before;
    }
}
