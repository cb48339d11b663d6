package dev.parley.rendezvous.account;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.Optional;

/**
 * Devices that logged in to an account before (OWASP's device cookie): a node keeps the token it
 * was given and presents it at its next login, and is then judged by its own failed attempts, not
 * by those of whoever else is guessing the password. Stored only as the token's SHA-256; each
 * successful login replaces the device's token; an account keeps its {@value #MAX_PER_ACCOUNT} most
 * recent devices.
 */
public class DeviceStore {
    static final int MAX_PER_ACCOUNT = 20;

    private final Jdbc jdbc;

    public DeviceStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The hash that names the device, if the token is one of this account's. */
    public Optional<String> find(String token, String accountKey) {
        if (!SecretTokens.plausible(token)) {
            return Optional.empty();
        }
        String hash = SecretTokens.digest(token);
        return jdbc.one("select token_hash from device_token where token_hash = ? and username_key = ?",
                rs -> rs.getString(1), hash, accountKey);
    }

    /** A new device token for the account, replacing {@code previousHash} if the login came from a known device. */
    public String issue(String accountKey, Optional<String> previousHash, long now) {
        previousHash.ifPresent(hash -> jdbc.update("delete from device_token where token_hash = ?", hash));
        String token = SecretTokens.random();
        jdbc.update("insert into device_token (token_hash, username_key, created_at) values (?, ?, ?)",
                SecretTokens.digest(token), accountKey, now);
        // Keep the most recent devices only (fetch-first rows is understood by H2 and PostgreSQL).
        jdbc.update("delete from device_token where username_key = ? and token_hash not in (select token_hash from "
                + "device_token where username_key = ? order by created_at desc, token_hash fetch first "
                + MAX_PER_ACCOUNT + " rows only)", accountKey, accountKey);
        return token;
    }
}
