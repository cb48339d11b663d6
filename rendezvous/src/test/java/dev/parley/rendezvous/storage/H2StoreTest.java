package dev.parley.rendezvous.storage;

import java.util.UUID;

/**
 * The store contract on H2, in the same (default) compatibility mode as the embedded file database,
 * here a private in-memory one.
 */
class H2StoreTest extends StoreContractTest {

    @Override
    protected Target openDatabaseTarget() {
        // DB_CLOSE_DELAY=-1 keeps it while the pool has no open connection; SHUTDOWN at the end drops it.
        return new Target("jdbc:h2:mem:parley-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "parley", null, null);
    }

    @Override
    protected void closeDatabaseTarget() {
        if (opened()) {
            execute("shutdown");
        }
    }
}
