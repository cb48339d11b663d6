package dev.parley.rendezvous.core;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Who blocked whom, by account key. */
public class BlockStore {
    private final Jdbc jdbc;

    public BlockStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** False if {@code blocker} already blocks {@code blocked}. */
    public boolean add(String blocker, String blocked, long now) {
        return jdbc.insertIfAbsent("insert into user_block (blocker_key, blocked_key, created_at) values (?, ?, ?)",
                blocker, blocked, now);
    }

    /** False if there was no such block. */
    public boolean remove(String blocker, String blocked) {
        return jdbc.update("delete from user_block where blocker_key = ? and blocked_key = ?", blocker, blocked) > 0;
    }

    public boolean blocks(String blocker, String blocked) {
        return jdbc.one("select 1 from user_block where blocker_key = ? and blocked_key = ?", rs -> true,
                blocker, blocked).isPresent();
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
        return new HashSet<>(jdbc.list("select blocked_key from user_block where blocker_key = ? "
                + "union select blocker_key from user_block where blocked_key = ?", rs -> rs.getString(1), key, key));
    }
}
