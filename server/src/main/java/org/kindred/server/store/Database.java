package org.kindred.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.runtime.DaemonThreads;

/**
 * The node's database: a HikariCP pool over the embedded H2 file or PostgreSQL, migrated by Flyway when opened, and
 * as many threads as connections to run statements on, so that no event loop ever waits for a disk or a network.
 *
 * <p>Each unit of work runs in one transaction: committed when it returns, rolled back when it throws.
 *
 * <pre>{@code
 * try (Database db = Database.open(StorageConfig.embedded(Path.of("data")))) {
 *     long n = db.call(c -> count(c)).join();
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {

    /** A unit of work on one connection, in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final StorageConfig config;
    private final HikariDataSource pool;
    private final ExecutorService threads;

    private Database(StorageConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
        this.threads = Executors.newFixedThreadPool(config.poolSize(), DaemonThreads.named("kindred-db"));
    }

    /**
     * Opens the database (creating the data directory of the embedded one on first start) and brings its schema to
     * the latest migration.
     *
     * @throws StorageUnavailableException when it cannot be reached, opened or migrated
     */
    public static Database open(StorageConfig config) {
        try {
            for (var dir : config.directoryToCreate().stream().toList()) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot create the data directory " + config.dataDir(), e);
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setPoolName("kindred-db");
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StorageUnavailableException("cannot open the database (" + rootMessage(e) + ")", e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StorageUnavailableException("cannot migrate the database (" + rootMessage(e) + ")", e);
        }
        return new Database(config, pool);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    public StorageConfig config() {
        return config;
    }

    /** Whether this is PostgreSQL (otherwise the embedded H2). */
    public boolean postgres() {
        return config.postgres();
    }

    /** Runs the work on a database thread, in one transaction. */
    public <T> CompletableFuture<T> call(Work<T> work) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return now(work);
                    } catch (SQLException e) {
                        throw new CompletionException(e);
                    }
                },
                threads);
    }

    /** Runs a longer task of several transactions (the retention job) on a database thread. */
    public <T> CompletableFuture<T> background(java.util.concurrent.Callable<T> task) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return task.call();
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                },
                threads);
    }

    /** Runs the work on the calling thread, in one transaction (start-up, tests, the retention job). */
    public <T> T now(Work<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Like {@link #now} for start-up, where a failure stops the node. */
    public <T> T atStart(Work<T> work) {
        try {
            return now(work);
        } catch (SQLException e) {
            throw new StorageUnavailableException("cannot read the database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
