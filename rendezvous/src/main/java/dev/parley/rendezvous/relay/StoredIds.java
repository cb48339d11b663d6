package dev.parley.rendezvous.relay;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Which message ids might be stored, without asking the store: a Bloom filter of every id taken
 * (and of those in the store at start). "No" is certain, so a new id (nearly every message) needs no
 * look-up; "maybe" (a repeat, or about 1 in 100 new ids) is settled by the store. Removals are not
 * tracked, so the filter is rebuilt from the store once as many ids were added as it was sized for.
 */
final class StoredIds {
    private static final int HASHES = 7;
    /** About 1% false positives at capacity with 7 hashes. */
    private static final int BITS_PER_ID = 10;
    private static final int MIN_CAPACITY = 100_000;

    private long[] bits;
    private int capacity;
    private int added;

    StoredIds(Collection<String> storedNow) {
        reset(storedNow);
    }

    private void reset(Collection<String> ids) {
        capacity = Math.max(MIN_CAPACITY, 2 * ids.size());
        bits = new long[(int) Math.min(Integer.MAX_VALUE - 8, ((long) capacity * BITS_PER_ID + 63) / 64)];
        added = 0;
        ids.forEach(this::setBits);
    }

    synchronized void add(String id) {
        setBits(id);
        added++;
    }

    synchronized boolean mightContain(String id) {
        long[] h = hashes(id);
        long size = (long) bits.length * 64;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h[0] + i * h[1], size);
            if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether so many ids were added that the filter should be rebuilt from the store. */
    synchronized boolean full() {
        return added >= capacity;
    }

    /** Starts again from the ids stored now and those on their way to the store. */
    synchronized void rebuild(Collection<String> ids) {
        reset(ids);
    }

    private void setBits(String id) {
        long[] h = hashes(id);
        long size = (long) bits.length * 64;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h[0] + i * h[1], size);
            bits[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    /** Two independent 64-bit hashes (FNV-1a and a murmur-style mix), combined as in Kirsch–Mitzenmacher. */
    private static long[] hashes(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        long fnv = 0xcbf29ce484222325L;
        long mix = 0x9E3779B97F4A7C15L;
        for (byte x : b) {
            fnv = (fnv ^ (x & 0xff)) * 0x100000001b3L;
            mix = Long.rotateLeft(mix ^ ((x & 0xff) * 0xff51afd7ed558ccdL), 31) * 0xc4ceb9fe1a85ec53L;
        }
        mix ^= mix >>> 33;
        return new long[] {fnv, mix | 1};
    }
}
