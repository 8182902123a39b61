package org.kindred.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.StorageConfig;

/**
 * Finds the key of the opaque user ids ({@code userIdSecret}): the configured one; else, with the embedded database,
 * the one kept in {@code user-id.key} beside it under {@code storage.dataDir} (256 random bits, generated at the first
 * start, owner-only permissions), so that ids survive restarts and are backed up with the data; else, with an in-memory
 * database (tests), a random one per start. A node on a shared database (PostgreSQL) must be given the key: each node
 * generating its own would show the same user under different ids.
 */
public final class UserIdKey {

    public static final String FILE_NAME = "user-id.key";
    private static final int KEY_BYTES = 32;

    private UserIdKey() {}

    /** The key of a node alone (no Redis). @throws ConfigException on a shared database without {@code userIdSecret} */
    public static byte[] resolve(Optional<String> configured, StorageConfig storage) {
        return resolve(configured, storage, false);
    }

    /**
     * The key's bytes.
     *
     * @param clustered whether the node shares its rooms with others through Redis: each generating a key of its own
     *                  would show one user under a different id on each node, so the key must then be configured
     * @throws ConfigException on a shared database, or a clustered node with a file database, without
     *                         {@code userIdSecret}
     */
    public static byte[] resolve(Optional<String> configured, StorageConfig storage, boolean clustered) {
        if (configured.isPresent()) {
            return configured.get().getBytes(StandardCharsets.UTF_8);
        }
        Optional<Path> dir = storage.directoryToCreate();
        if (clustered && dir.isPresent()) {
            throw new ConfigException(
                    "userIdSecret: not set (expected: the same key of at least 32 bytes on every node, set with"
                            + " KINDRED_USER_ID_SECRET, when nodes share rooms through Redis)");
        }
        if (dir.isPresent()) {
            return keptIn(dir.get().resolve(FILE_NAME));
        }
        if (storage.jdbcUrl().startsWith("jdbc:h2:mem:")) {
            return random();
        }
        throw new ConfigException(
                "userIdSecret: not set (expected: the same key of at least 32 bytes on every node, set with"
                        + " KINDRED_USER_ID_SECRET, when storage.url names a shared database)");
    }

    private static byte[] keptIn(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
            if (key.length < KEY_BYTES) {
                throw new StorageUnavailableException(
                        file + " holds " + key.length + " bytes (expected: " + KEY_BYTES + ", base64)", null);
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageUnavailableException(
                    "cannot read the user id key " + file + " (" + e.getMessage() + ")", e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] text = (Base64.getEncoder().encodeToString(random()) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".new");
        try {
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's permissions protect it.
            }
            Files.write(temporary, text, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.createLink(file, temporary); // atomic, and fails if another start created it first
            } catch (FileAlreadyExistsException createdMeanwhile) {
                // keep the first one
            } catch (UnsupportedOperationException noLinks) {
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static byte[] random() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
