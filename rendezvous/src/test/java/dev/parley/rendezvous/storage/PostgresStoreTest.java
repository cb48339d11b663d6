package dev.parley.rendezvous.storage;

/**
 * The store contract on PostgreSQL ({@code PARLEY_TEST_PG_URL}; see {@link PostgresTestDatabase}),
 * in a schema of its own that is dropped afterwards.
 */
@RequiresPostgres
class PostgresStoreTest extends StoreContractTest {
    private String schema;

    @Override
    protected Target openDatabaseTarget() {
        String url = PostgresTestDatabase.requireUrl();
        schema = PostgresTestDatabase.createUniqueSchema("parley_store_test");
        return new Target(url, PostgresTestDatabase.user(), PostgresTestDatabase.password().orElse(null), schema);
    }

    @Override
    protected void closeDatabaseTarget() {
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }
}
