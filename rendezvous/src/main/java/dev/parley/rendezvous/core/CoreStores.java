package dev.parley.rendezvous.core;

import dev.parley.rendezvous.storage.Jdbc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The stores every feature reads: accounts, and who blocks whom. */
class CoreStores {
    @Produces
    @Singleton
    AccountStore accounts(Jdbc jdbc) {
        return new AccountStore(jdbc);
    }

    @Produces
    @Singleton
    BlockStore blocks(Jdbc jdbc) {
        return new BlockStore(jdbc);
    }
}
