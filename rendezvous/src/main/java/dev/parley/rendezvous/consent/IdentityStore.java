package dev.parley.rendezvous.consent;

import dev.parley.rendezvous.storage.Jdbc;
import java.util.Optional;

/** Users' identity keys, and which key each user was last introduced to for each other user. */
public class IdentityStore {
    private final Jdbc jdbc;

    public IdentityStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void setKey(String userKey, String identityKey) {
        jdbc.update("update account set identity_key = ? where username_key = ?", identityKey, userKey);
    }

    public Optional<String> key(String userKey) {
        return jdbc.one("select identity_key from account where username_key = ? and identity_key is not null",
                rs -> rs.getString(1), userKey);
    }

    /** Records the introduction; returns true if the viewer had been introduced to a different key before. */
    public boolean introduce(String viewerKey, String subjectKey, String identityKey) {
        Optional<String> before = jdbc.one("select identity_key from identity_seen where viewer_key = ? and subject_key = ?",
                rs -> rs.getString(1), viewerKey, subjectKey);
        if (before.isEmpty()) {
            if (!jdbc.insertIfAbsent("insert into identity_seen (viewer_key, subject_key, identity_key) values (?, ?, ?)",
                    viewerKey, subjectKey, identityKey)) {
                return introduce(viewerKey, subjectKey, identityKey);
            }
            return false;
        }
        if (before.get().equals(identityKey)) {
            return false;
        }
        jdbc.update("update identity_seen set identity_key = ? where viewer_key = ? and subject_key = ?",
                identityKey, viewerKey, subjectKey);
        return true;
    }
}
