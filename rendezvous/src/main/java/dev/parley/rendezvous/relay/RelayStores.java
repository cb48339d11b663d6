package dev.parley.rendezvous.relay;

import dev.parley.rendezvous.storage.Jdbc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The relay's store of messages waiting for their recipient. */
class RelayStores {
    @Produces
    @Singleton
    MessageStore messages(Jdbc jdbc) {
        return new MessageStore(jdbc);
    }
}
