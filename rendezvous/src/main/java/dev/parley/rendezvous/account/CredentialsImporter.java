package dev.parley.rendezvous.account;

import dev.parley.rendezvous.config.ParleyConfig;
import dev.parley.rendezvous.core.AccountStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Imports the credentials file at start: missing accounts are created, and an account whose
 * password in the file changed gets the new one. Passwords are hashed; the file is the source.
 */
@ApplicationScoped
public class CredentialsImporter {
    private static final Logger LOG = Logger.getLogger(CredentialsImporter.class);

    private final ParleyConfig config;
    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final Clock clock;

    public CredentialsImporter(ParleyConfig config, AccountStore accounts, PasswordHasher hasher, Clock clock) {
        this.config = config;
        this.accounts = accounts;
        this.hasher = hasher;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        config.credentials().ifPresent(this::importFile);
    }

    public int importFile(Path file) {
        CredentialsFile.Parsed parsed;
        try {
            parsed = CredentialsFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credentials file " + file + ": " + e.getMessage(), e);
        }
        parsed.problems().forEach(p -> LOG.warnf("skipped %s", p));
        int changed = 0;
        for (CredentialsFile.Entry entry : parsed.entries()) {
            var existing = accounts.find(entry.username());
            if (existing.isEmpty()) {
                if (accounts.create(entry.username(), hasher.hash(entry.password()), clock.millis())) {
                    changed++;
                }
            } else if (!hasher.verify(entry.password(), existing.get().passwordHash())) {
                accounts.updatePasswordHash(existing.get().key(), hasher.hash(entry.password()));
                changed++;
            }
        }
        LOG.infof("credentials file %s: %d accounts, %d created or updated, %d lines skipped",
                file, parsed.entries().size(), changed, parsed.problems().size());
        return changed;
    }
}
