package org.kindred.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the records that must last are kept (sanctions, reports, alerts, the audit log, groups, session feedback): the
 * system of record of {@code docs/data.md}. By default an embedded H2 database file under {@code dataDir}, created on
 * first start; with {@code url}, a PostgreSQL server shared by every node of a deployment. The same migrations run on
 * both.
 *
 * @param dataDir   the directory of the embedded database ({@code kindred.mv.db}), created if missing; ignored with
 *                  {@code url}
 * @param url       {@code jdbc:postgresql://host:port/db} for production, or a {@code jdbc:h2:} URL; {@code null}
 *                  for the embedded file under {@code dataDir}
 * @param user      the database user ({@code null}: none, or the one in the URL)
 * @param password  the database password ({@code null}: none); never printed
 * @param poolSize  connections kept open, 1 to 64; the store's threads are as many
 * @param retention how long records of the past (resolved reports, acknowledged alerts, audit entries, lifted
 *                  sanctions, closed meetings, session feedback) are kept; see {@code docs/data.md}
 */
public record StorageConfig(Path dataDir, String url, String user, String password, int poolSize, Duration retention) {

    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final int MAX_POOL_SIZE = 64;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(180);

    public StorageConfig {
        if (dataDir == null) {
            dataDir = DEFAULT_DATA_DIR;
        }
        if (url != null && url.isBlank()) {
            url = null;
        }
        if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw ConfigException.about(
                    "storage.url",
                    "storage.url: '" + redacted(url)
                            + "' (expected: jdbc:postgresql://host:port/database or a jdbc:h2: URL)");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw ConfigException.about(
                    "storage.poolSize", "storage.poolSize: " + poolSize + " (expected: 1-" + MAX_POOL_SIZE + ")");
        }
        if (retention == null) {
            retention = DEFAULT_RETENTION;
        }
        if (retention.isNegative() || retention.isZero()) {
            throw ConfigException.about(
                    "storage.retention",
                    "storage.retention: " + Durations.format(retention) + " (expected: a positive duration)");
        }
    }

    /** The embedded database file under this directory. */
    public static StorageConfig embedded(Path dataDir) {
        return new StorageConfig(dataDir, null, null, null, DEFAULT_POOL_SIZE, DEFAULT_RETENTION);
    }

    /** A database at this JDBC URL (PostgreSQL in production). */
    public static StorageConfig at(String url) {
        return new StorageConfig(DEFAULT_DATA_DIR, url, null, null, DEFAULT_POOL_SIZE, DEFAULT_RETENTION);
    }

    /**
     * A private in-memory database that lives as long as the node: for tests that do not restart nodes. Every call
     * names a new one.
     */
    public static StorageConfig inMemory() {
        return at("jdbc:h2:mem:kindred-" + java.util.UUID.randomUUID());
    }

    public StorageConfig withCredentials(String user, String password) {
        return new StorageConfig(dataDir, url, user, password, poolSize, retention);
    }

    public StorageConfig withRetention(Duration retention) {
        return new StorageConfig(dataDir, url, user, password, poolSize, retention);
    }

    /** The JDBC URL the node opens: {@code url}, or the embedded file under {@code dataDir}. */
    public String jdbcUrl() {
        String chosen =
                url != null ? url : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("kindred");
        // H2 in PostgreSQL mode, so that the one set of migrations and statements runs on both engines.
        return chosen.startsWith("jdbc:h2:") && !chosen.contains("MODE=") ? chosen + H2_MODE : chosen;
    }

    private static final String H2_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    /** The directory to create before opening, for the embedded database. */
    public Optional<Path> directoryToCreate() {
        return url == null ? Optional.of(dataDir) : Optional.empty();
    }

    /** Whether the database is PostgreSQL (otherwise H2). */
    public boolean postgres() {
        return jdbcUrl().startsWith("jdbc:postgresql:");
    }

    private static String redacted(String url) {
        return url.replaceAll("password=[^&;]*", "password=***");
    }

    @Override
    public String toString() {
        return "[" + (url == null ? "embedded " + dataDir : redacted(url)) + ", user="
                + (user == null ? "<none>" : user) + ", password=" + (password == null ? "<none>" : "***")
                + ", poolSize=" + poolSize + ", retention=" + Durations.format(retention) + "]";
    }
}
