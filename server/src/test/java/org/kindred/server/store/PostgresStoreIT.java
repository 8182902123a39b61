package org.kindred.server.store;

import org.kindred.server.config.StorageConfig;

/** The store's contract on PostgreSQL, each test in a schema of its own. */
class PostgresStoreIT extends SqlStoreContract {

    @Override
    StorageConfig freshDatabase() {
        return Engines.postgres();
    }

    @Override
    void dropDatabase(StorageConfig config) {
        Engines.dropPostgres(config);
    }
}
