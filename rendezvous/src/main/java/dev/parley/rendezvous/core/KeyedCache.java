package dev.parley.rendezvous.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a store read for an account key, kept in memory so that a message needs no look-up. The
 * store forgets a key after each write that changes it, once the write has committed; a second
 * server instance on the same database would call {@link #forget} when told of another's write.
 * Bounded: past {@code maxEntries} everything is dropped and read again as needed.
 */
final class KeyedCache<V> {
    private final int maxEntries;
    private final Map<String, V> entries = new ConcurrentHashMap<>();

    KeyedCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * The cached value, or what {@code load} reads (cached unless it is null). A load runs under the
     * key's entry, so a {@link #forget} after a commit waits for a load that may have read the old value.
     */
    V get(String key, Function<String, V> load) {
        V value = entries.get(key);
        if (value != null) {
            return value;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        return entries.computeIfAbsent(key, load);
    }

    /** Whether a value for the key is cached: reading it now needs no look-up. */
    boolean has(String key) {
        return entries.containsKey(key);
    }

    void forget(String key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }
}
