package dev.parley.rendezvous.account;

import dev.parley.rendezvous.storage.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens for the session: 256 random bits, stored only as their SHA-256, one per account.
 * Issuing a new one revokes the old, which is what makes a second login a takeover.
 */
public class SessionTokenStore {
    private final Jdbc jdbc;
    private final SecureRandom random = new SecureRandom();

    public SessionTokenStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public String issue(String key, long now) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String hash = digest(token);
        String update = "update session_token set token_hash = ?, created_at = ? where username_key = ?";
        if (jdbc.update(update, hash, now, key) == 0
                && !jdbc.insertIfAbsent("insert into session_token (username_key, token_hash, created_at) values (?, ?, ?)",
                key, hash, now)) {
            jdbc.update(update, hash, now, key); // a concurrent login inserted first: the later one wins
        }
        return token;
    }

    /** The account key a token belongs to, if it is the account's current token. */
    public Optional<String> resolve(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        return jdbc.one("select username_key from session_token where token_hash = ?", rs -> rs.getString(1),
                digest(token));
    }

    public void revoke(String key) {
        jdbc.update("delete from session_token where username_key = ?", key);
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
