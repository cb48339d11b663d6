package dev.parley.rendezvous.consent;

import dev.parley.rendezvous.storage.Jdbc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Consent's store of identity keys: as announced, and as each user was introduced to them. */
class ConsentStores {
    @Produces
    @Singleton
    IdentityStore identities(Jdbc jdbc) {
        return new IdentityStore(jdbc);
    }
}
