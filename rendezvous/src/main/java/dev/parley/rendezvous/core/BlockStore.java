package dev.parley.rendezvous.core;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who blocked whom, by account key. Each user's blocks, both ways, are cached (see {@link KeyedCache}),
 * so a message checks them without a look-up; a change forgets both users' entries once committed.
 */
public class BlockStore {
    private static final int CACHED = 200_000;
    private final Jdbc jdbc;
    /** Key → the keys that user blocks. */
    private final KeyedCache<Set<String>> blocking = new KeyedCache<>(CACHED);
    /** Key → the keys of those who block that user. */
    private final KeyedCache<Set<String>> blockedBy = new KeyedCache<>(CACHED);

    public BlockStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** False if {@code blocker} already blocks {@code blocked}. */
    public boolean add(String blocker, String blocked, long now) {
        boolean added = jdbc.insertIfAbsent("insert into user_block (blocker_key, blocked_key, created_at) values (?, ?, ?)",
                blocker, blocked, now);
        forget(blocker, blocked);
        return added;
    }

    /** False if there was no such block. */
    public boolean remove(String blocker, String blocked) {
        boolean removed = jdbc.update("delete from user_block where blocker_key = ? and blocked_key = ?", blocker, blocked) > 0;
        forget(blocker, blocked);
        return removed;
    }

    /** Drops what is cached for a block between the two: it changed (here or, later, on another instance). */
    public void forget(String blocker, String blocked) {
        blocking.forget(blocker);
        blockedBy.forget(blocked);
    }

    /** Whether {@link #blocks} would answer for this blocker from memory. */
    public boolean isCached(String blocker) {
        return blocking.has(blocker);
    }

    public boolean blocks(String blocker, String blocked) {
        return blocking(blocker).contains(blocked);
    }

    private Set<String> blocking(String key) {
        return blocking.get(key, k -> Set.copyOf(jdbc.list("select blocked_key from user_block where blocker_key = ?",
                rs -> rs.getString(1), k)));
    }

    private Set<String> blockers(String key) {
        return blockedBy.get(key, k -> Set.copyOf(jdbc.list("select blocker_key from user_block where blocked_key = ?",
                rs -> rs.getString(1), k)));
    }

    /** Display names of the users {@code blocker} blocks, sorted case-insensitively. */
    public List<String> blockedBy(String blocker) {
        // Sorted here rather than in SQL: collations differ between databases.
        List<String> names = new ArrayList<>(jdbc.list("select a.username from user_block b "
                + "join account a on a.username_key = b.blocked_key where b.blocker_key = ?", rs -> rs.getString(1), blocker));
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names;
    }

    /** Keys of everyone with a block either way with {@code key}. */
    public Set<String> blockedEitherWay(String key) {
        Set<String> either = new HashSet<>(blocking(key));
        either.addAll(blockers(key));
        return either;
    }
}
