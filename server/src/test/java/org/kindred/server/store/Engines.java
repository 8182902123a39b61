package org.kindred.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.kindred.server.config.StorageConfig;

/**
 * The two engines the store runs on, for its tests: the embedded H2 file, and the PostgreSQL at 127.0.0.1:5432 (user
 * {@code postgres}, trust authentication; {@code .ci/run} makes sure it is up). Each PostgreSQL test gets a schema of
 * its own in the database {@code kindred_data_test}, which is created when missing; nothing else is touched.
 */
public final class Engines {

    public static final String PG_HOST = System.getProperty("kindred.pg.host", "127.0.0.1:5432");
    public static final String PG_DATABASE = "kindred_data_test";

    private Engines() {}

    /** An embedded database file under this directory. */
    public static StorageConfig h2(Path dir) {
        return StorageConfig.embedded(dir);
    }

    /** A new, empty schema of the test database on PostgreSQL; {@link #dropPostgres} removes it. */
    public static StorageConfig postgres() {
        ensureDatabase();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(url(PG_DATABASE) + "?user=postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_HOST + " is needed: " + e.getMessage(), e);
        }
        return StorageConfig.at(url(PG_DATABASE) + "?currentSchema=" + schema).withCredentials("postgres", null);
    }

    /** Drops the schema of a {@link #postgres()} configuration. */
    public static void dropPostgres(StorageConfig config) {
        String url = config.url();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(url(PG_DATABASE) + "?user=postgres");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    private static synchronized void ensureDatabase() {
        try (Connection c = DriverManager.getConnection(url("postgres") + "?user=postgres");
                Statement s = c.createStatement()) {
            var exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + PG_DATABASE + "'");
            if (!exists.next()) {
                s.execute("CREATE DATABASE " + PG_DATABASE);
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another test JVM
                throw new IllegalStateException("PostgreSQL at " + PG_HOST + " is needed: " + e.getMessage(), e);
            }
        }
    }
}
