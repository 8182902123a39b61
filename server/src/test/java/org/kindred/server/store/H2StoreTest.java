package org.kindred.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.config.StorageConfig;

/** The store's contract on the embedded default: an H2 file under a data directory. */
class H2StoreTest extends SqlStoreContract {

    @TempDir
    Path dataDir;

    @Override
    StorageConfig freshDatabase() {
        return Engines.h2(dataDir.resolve("data")); // created by the node on first start
    }
}
