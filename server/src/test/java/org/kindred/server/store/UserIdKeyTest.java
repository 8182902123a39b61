package org.kindred.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.StorageConfig;

class UserIdKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDefaultGeneratesAKeyOnceAndKeepsItOwnerOnlyUnderTheDataDir() throws Exception {
        byte[] first = UserIdKey.resolve(Optional.empty(), StorageConfig.embedded(dataDir));
        byte[] again = UserIdKey.resolve(Optional.empty(), StorageConfig.embedded(dataDir));

        assertThat(first).hasSize(32).isEqualTo(again);
        Path file = dataDir.resolve(UserIdKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.list(dataDir)).containsExactly(file);
    }

    @Test
    void aConfiguredKeyWins() {
        String key = "configured-user-id-key-of-32-bytes!!";
        assertThat(UserIdKey.resolve(Optional.of(key), StorageConfig.embedded(dataDir)))
                .isEqualTo(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(dataDir.resolve(UserIdKey.FILE_NAME)).doesNotExist();
    }

    @Test
    void aSharedDatabaseWithoutAConfiguredKeyStopsTheNodeWithTheSettingToAdd() {
        assertThatThrownBy(() ->
                        UserIdKey.resolve(Optional.empty(), StorageConfig.at("jdbc:postgresql://db:5432/kindred")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("userIdSecret: not set (expected: the same key of at least 32 bytes on every node, set"
                        + " with KINDRED_USER_ID_SECRET, when storage.url names a shared database)");
    }

    @Test
    void nodesThatShareRoomsThroughRedisMustBeGivenTheKeyEvenWithAFileDatabaseEach(@TempDir Path dataDir) {
        assertThatThrownBy(() -> UserIdKey.resolve(Optional.empty(), StorageConfig.embedded(dataDir), true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("userIdSecret: not set (expected: the same key of at least 32 bytes on every node, set"
                        + " with KINDRED_USER_ID_SECRET, when nodes share rooms through Redis)");
        assertThat(dataDir.resolve(UserIdKey.FILE_NAME)).doesNotExist();
    }
}
