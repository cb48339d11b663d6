package dev.parley.rendezvous.consent;

import dev.parley.rendezvous.storage.Jdbc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Consent's stores: identity keys (as announced, and as each user was introduced to them), and contacts. */
class ConsentStores {
    @Produces
    @Singleton
    IdentityStore identities(Jdbc jdbc) {
        return new IdentityStore(jdbc);
    }

    @Produces
    @Singleton
    ContactStore contacts(Jdbc jdbc) {
        return new ContactStore(jdbc);
    }
}
