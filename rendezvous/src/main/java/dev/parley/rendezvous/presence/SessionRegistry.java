package dev.parley.rendezvous.presence;

import dev.parley.rendezvous.metrics.ServerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions open on this instance, one per account key. */
@ApplicationScoped
public class SessionRegistry {
    private final ConcurrentHashMap<String, ChatSession> byKey = new ConcurrentHashMap<>();

    public SessionRegistry(ServerMetrics metrics) {
        metrics.onlineUsers(byKey::size);
    }

    /** Registers the session and returns the one it replaced, if any. */
    Optional<ChatSession> put(ChatSession session) {
        return Optional.ofNullable(byKey.put(session.key(), session));
    }

    /** Removes the session only if it is still the account's current one. */
    boolean remove(ChatSession session) {
        return byKey.remove(session.key(), session);
    }

    public Optional<ChatSession> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Collection<ChatSession> all() {
        return byKey.values();
    }

    public int size() {
        return byKey.size();
    }
}
