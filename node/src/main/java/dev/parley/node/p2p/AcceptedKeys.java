package dev.parley.node.p2p;

import dev.parley.common.protocol.Username;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity keys the server vouched for, by user, while consent stands: which keys may connect,
 * whose key an incoming peer holds, and which key a dialed peer must hold. Keys are encoded
 * ({@code PublicKey.getEncoded()}), as a certificate carries them.
 */
final class AcceptedKeys {
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

    void accept(String user, byte[] encodedKey) {
        keys.put(Username.key(user), encodedKey.clone());
    }

    void forget(String user) {
        keys.remove(Username.key(user));
    }

    Optional<byte[]> of(String user) {
        return Optional.ofNullable(keys.get(Username.key(user))).map(byte[]::clone);
    }

    boolean isAccepted(byte[] encodedKey) {
        return keys.values().stream().anyMatch(k -> Arrays.equals(k, encodedKey));
    }

    /** Whose key this is (the user's name key), if anyone's. */
    Optional<String> userFor(byte[] encodedKey) {
        return keys.entrySet().stream().filter(e -> Arrays.equals(e.getValue(), encodedKey)).map(Map.Entry::getKey)
                .findFirst();
    }
}
