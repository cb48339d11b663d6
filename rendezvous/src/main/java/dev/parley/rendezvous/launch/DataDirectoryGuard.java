package dev.parley.rendezvous.launch;

import dev.parley.rendezvous.config.ParleyConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import org.jboss.logging.Logger;

/** Once the database has created its files (with the process's umask), makes them owner-only too. */
@ApplicationScoped
class DataDirectoryGuard {
    private static final Logger LOG = Logger.getLogger(DataDirectoryGuard.class);

    void started(@Observes StartupEvent event, ParleyConfig config) {
        try {
            DataDirectory.secure(config.data());
        } catch (IOException e) {
            LOG.warnf("could not make %s owner-only: %s", config.data(), e.getMessage());
        }
    }
}
