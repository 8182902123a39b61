package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.safety.CrisisLines;

class ConfigLoaderTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void nothingToLoadGivesTheEmbeddedDefault() {
        KindredConfig config = ConfigLoader.load(null, Map.of("PATH", "/usr/bin", "HOME", "/root"));

        assertThat(config.toString()).isEqualTo(KindredConfig.defaults().toString());
        assertThat(config.devSignIn()).isTrue();
    }

    @Test
    void emptyFileChangesNothing() throws IOException {
        assertThat(ConfigLoader.load(yaml(""), Map.of()).toString())
                .isEqualTo(KindredConfig.defaults().toString());
    }

    @Test
    void fileOverridesTheDefaults() throws IOException {
        Path file = yaml("""
                host: 127.0.0.1
                port: 9000
                maxTextLength: 2000
                ratePerSecond: 2.5
                idleTimeout: 90s
                historyMaxAge: P30D
                presenceGrace: 0
                nativeTransport: false
                eventLoops: 2
                allowedOrigins:
                  - https://app.example.org
                  - https://staging.example.org
                jwt:
                  hs256Secret: %s
                  issuer: https://id.example.org
                  audience: kindred
                  clockSkew: 1m
                """.formatted(SECRET));

        KindredConfig config = ConfigLoader.load(file, Map.of());

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.maxTextLength()).isEqualTo(2000);
        assertThat(config.ratePerSecond()).isEqualTo(2.5);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.historyMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(config.presenceGrace()).isZero();
        assertThat(config.nativeTransport()).isFalse();
        assertThat(config.eventLoops()).isEqualTo(2);
        assertThat(config.allowedOrigins()).containsExactly("https://app.example.org", "https://staging.example.org");
        assertThat(config.jwt())
                .isEqualTo(new JwtConfig(SECRET, null, "https://id.example.org", "kindred", Duration.ofMinutes(1)));
        assertThat(config.devSignIn()).isFalse();
        assertThat(config.rateBurst()).isEqualTo(KindredConfig.DEFAULT_RATE_BURST);
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = yaml("port: 9000\nidleTimeout: 90s\n");

        KindredConfig config = ConfigLoader.load(
                file,
                Map.of(
                        "KINDRED_PORT", "9100",
                        "KINDRED_MAX_TEXT_LENGTH", "1000",
                        "KINDRED_PING_INTERVAL", "PT20S",
                        "KINDRED_ALLOWED_ORIGINS", "https://a.example.org, https://b.example.org",
                        "KINDRED_JWT_SECRET", SECRET,
                        "KINDRED_JWT_ISSUER", "https://id.example.org",
                        "KINDRED_JWT_AUDIENCE", "kindred"));

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.maxTextLength()).isEqualTo(1000);
        assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.allowedOrigins()).containsExactly("https://a.example.org", "https://b.example.org");
        assertThat(config.jwt().hs256Secret()).isEqualTo(SECRET);
        assertThat(config.jwt().audience()).isEqualTo("kindred");
    }

    @Test
    void settingsFromBothSourcesAreCheckedTogether() throws IOException {
        // Alone, a 90 s ping interval would not be shorter than the default 60 s idle timeout.
        Path file = yaml("pingInterval: 90s\n");

        KindredConfig config = ConfigLoader.load(file, Map.of("KINDRED_IDLE_TIMEOUT", "2m"));

        assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void configVariableNamesTheFileWhenNoPathIsGiven() throws IOException {
        Path file = yaml("port: 9000\n");

        assertThat(ConfigLoader.load(null, Map.of("KINDRED_CONFIG", file.toString()))
                        .port())
                .isEqualTo(9000);
    }

    @Test
    void givenPathWinsOverTheConfigVariable() throws IOException {
        Path file = yaml("port: 9000\n");

        KindredConfig config = ConfigLoader.load(
                file, Map.of("KINDRED_CONFIG", dir.resolve("nope.yaml").toString()));

        assertThat(config.port()).isEqualTo(9000);
    }

    @Test
    void readsRoomRulesCrisisRulesAndCrisisResourcesFromTheFile() throws IOException {
        Path file = yaml("""
                rooms:
                  - id: meds
                    title: Medication questions
                    rules: [new_member_contacts, hold_doses]
                  - id: open
                    title: Open
                    rules: []
                crisisRules:
                  de: [ich will sterben, "re:kein ausweg"]
                crisisResources:
                  - {language: de, name: Telefonseelsorge, contact: 0800 111 0 111}
                  - {language: de-AT, name: Telefonseelsorge, contact: "142"}
                """);

        KindredConfig config = ConfigLoader.load(file, Map.of());

        assertThat(config.rooms().get(0).rules())
                .containsExactlyInAnyOrder(RoomRule.NEW_MEMBER_CONTACTS, RoomRule.HOLD_DOSES);
        assertThat(config.rooms().get(1).rules()).isEmpty();
        assertThat(config.crisisRules()).containsEntry("de", List.of("ich will sterben", "re:kein ausweg"));
        CrisisLines lines = CrisisLines.of(config.crisisResources());
        assertThat(lines.lookup("de")).extracting(r -> r.contact()).containsExactly("0800 111 0 111");
        assertThat(lines.lookup("de-AT")).extracting(r -> r.contact()).containsExactly("142");
    }

    @Test
    void refusesACrisisResourceWhoseLanguageIsNotALanguageTag() throws IOException {
        Path file = yaml("""
                crisisResources:
                  - {language: en, name: Samaritans, contact: 116 123}
                  - {language: french, name: SOS, contact: "3114"}
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("crisisResources[1].language: 'french' is not a BCP 47 language tag");
    }

    @Test
    void readsGroupSettingsFromTheFileAndTheEnvironment() throws IOException {
        Path file = yaml("groups:\n  defaultCapacity: 12\n  lobbyBefore: 5m\n");

        KindredConfig config = ConfigLoader.load(
                file, Map.of("KINDRED_GROUPS_FLOOR_TIME", "90s", "KINDRED_GROUPS_REMINDER_BEFORE", "30m"));

        assertThat(config.groups().defaultCapacity()).isEqualTo(12);
        assertThat(config.groups().lobbyBefore()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(config.groups().floorTime()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(config.groups().reminderBefore()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(config.groups().closeGrace()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_GROUPS_DEFAULT_CAPACITY", "0")))
                .hasMessageContaining("groups.defaultCapacity")
                .hasMessageContaining("KINDRED_GROUPS_DEFAULT_CAPACITY");
    }

    @Test
    void refusesAnUnknownRoomRule() throws IOException {
        Path file = yaml("rooms:\n  - id: a\n    title: A\n    rules: [no_swearing]\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageContaining("no_swearing")
                .hasMessageContaining("hold_doses");
    }

    @Test
    void roomsInTheFileReplaceTheDemoRooms() throws IOException {
        Path file = yaml("""
                rooms:
                  - id: announcements
                    title: Announcements
                    description: News from the team.
                    writers: [moderator, facilitator]
                  - id: open-chat
                    title: Open chat
                    tags: [general, social]
                """);

        List<RoomConfig> rooms = ConfigLoader.load(file, Map.of()).rooms();

        assertThat(rooms)
                .containsExactly(
                        new RoomConfig(
                                "announcements",
                                "Announcements",
                                "News from the team.",
                                List.of(),
                                java.util.Set.of("moderator", "facilitator")),
                        new RoomConfig("open-chat", "Open chat", "", List.of("general", "social"), java.util.Set.of()));
        assertThat(rooms.get(0).writers()).containsExactly("moderator", "facilitator");
    }

    @Test
    void unknownKeyIsRefusedWithTheFileName() throws IOException {
        Path file = yaml("port: 9000\nfoo: bar\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'foo' in " + file);
    }

    @Test
    void misspeltKeyGetsASuggestion() throws IOException {
        Path file = yaml("idleTimout: 30s\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessage("unknown setting 'idleTimout' in " + file + " (did you mean idleTimeout?)");
    }

    @Test
    void unknownNestedKeysAreRefusedToo() throws IOException {
        Path jwt = yaml("jwt:\n  secret: x\n");
        assertThatThrownBy(() -> ConfigLoader.load(jwt, Map.of()))
                .hasMessageStartingWith("unknown setting 'jwt.secret' in " + jwt);

        Path room = yaml("rooms:\n  - id: a\n    title: A\n    colour: blue\n");
        assertThatThrownBy(() -> ConfigLoader.load(room, Map.of()))
                .hasMessage("unknown setting 'rooms[0].colour' in " + room);
    }

    @Test
    void unknownEnvironmentVariableIsRefusedWithASuggestion() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_PROT", "9000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown environment variable KINDRED_PROT (did you mean KINDRED_PORT?)");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_COLOUR", "blue")))
                .hasMessage("unknown environment variable KINDRED_COLOUR");
    }

    @Test
    void malformedValuesNameTheSettingAndTheSource() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_PORT", "abc")))
                .hasMessage("KINDRED_PORT: 'abc' is not a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_RATE_PER_SECOND", "fast")))
                .hasMessage("KINDRED_RATE_PER_SECOND: 'fast' is not a number");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_NATIVE_TRANSPORT", "maybe")))
                .hasMessage("KINDRED_NATIVE_TRANSPORT: 'maybe' is not true or false");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_IDLE_TIMEOUT", "60")))
                .hasMessageStartingWith("KINDRED_IDLE_TIMEOUT: '60' has no unit (expected: e.g. 250ms, 10s");

        Path file = yaml("idleTimeout: 60\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageStartingWith("idleTimeout: '60' has no unit (")
                .hasMessageEndingWith(" (in " + file + ")");
        Path list = yaml("port: [1, 2]\n");
        assertThatThrownBy(() -> ConfigLoader.load(list, Map.of()))
                .hasMessage("port: expected a single value, found a list (in " + list + ")");
    }

    @Test
    void outOfRangeValuesSayWhereTheyWereSet() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_PORT", "70000")))
                .hasMessage("port: 70000 (expected: 0-65535); set by KINDRED_PORT");

        Path file = yaml("joinHistory: 600\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessage("joinHistory: 600 (expected: 0-500); set in " + file);
    }

    @Test
    void emptyVariableIsRefusedRatherThanTreatedAsUnset() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_JWT_SECRET", "")))
                .hasMessage("KINDRED_JWT_SECRET: is empty (expected: a value; unset the variable to keep the default)");
    }

    @Test
    void shortSecretIsRefusedWithoutPrintingIt() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_JWT_SECRET", "hunter2")))
                .hasMessage("jwt.hs256Secret: 7 bytes (expected: at least 32 bytes, HS256 needs a 256-bit key);"
                        + " set by KINDRED_JWT_SECRET")
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void secretAndPublicKeyTogetherAreRefused() throws IOException {
        Path pem = Files.writeString(dir.resolve("k.pem"), "-----BEGIN PUBLIC KEY-----\n");
        Path file = yaml("jwt:\n  rs256PublicKeyFile: " + pem + "\n");

        assertThatThrownBy(() -> ConfigLoader.load(
                        file, Map.of("KINDRED_JWT_SECRET", SECRET, "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE", "true")))
                .hasMessageStartingWith(
                        "jwt: more than one of hs256Secret, rs256PublicKeyFile and jwksUrl is set (expected: at most one)");
    }

    @Test
    void aKeyWithoutIssuerOrAudienceIsRefusedUnlessTheOperatorSaysSo() throws IOException {
        Path file = yaml("jwt:\n  issuer: https://id.example.org\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("KINDRED_JWT_SECRET", SECRET)))
                .hasMessageStartingWith("jwt.audience: not set (expected: the aud your identity service writes");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_JWT_SECRET", SECRET)))
                .hasMessageStartingWith("jwt.issuer: not set");
        assertThat(ConfigLoader.load(file, Map.of("KINDRED_JWT_SECRET", SECRET, "KINDRED_JWT_AUDIENCE", "kindred"))
                        .jwt()
                        .audience())
                .isEqualTo("kindred");
        assertThat(ConfigLoader.load(
                                null,
                                Map.of("KINDRED_JWT_SECRET", SECRET, "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE", "true"))
                        .jwt()
                        .issuer())
                .isNull();
    }

    @Test
    void aJwksUrlAndATokenAgeAreRead() throws IOException {
        Path file =
                yaml("jwt:\n  jwksUrl: https://id.example.org/.well-known/jwks.json\n  issuer: https://id.example.org\n"
                        + "  audience: kindred\n  maxTokenAge: 1d\n  jwksCacheTtl: 10m\n");

        JwtConfig jwt = ConfigLoader.load(file, Map.of()).jwt();

        assertThat(jwt.jwksUrl()).isEqualTo("https://id.example.org/.well-known/jwks.json");
        assertThat(jwt.maxTokenAge()).isEqualTo(Duration.ofDays(1));
        assertThat(jwt.jwksCacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_JWT_JWKS_URL", "http://id.example.org/jwks")))
                .hasMessageStartingWith("jwt.jwksUrl: 'http://id.example.org/jwks' (expected: an https URL");
    }

    @Test
    void tlsFilesMustExist() throws IOException {
        Path file = yaml("tls:\n  certificateFile: cert.pem\n  privateKeyFile: key.pem\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessage("tls.certificateFile: " + dir.resolve("cert.pem") + " does not exist; set in " + file);

        Files.writeString(dir.resolve("cert.pem"), "certificate");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessage("tls.privateKeyFile: " + dir.resolve("key.pem") + " does not exist; set in " + file);
    }

    @Test
    void tlsFilesAreResolvedAgainstTheConfigFileAndTakenTogether() throws IOException {
        Files.writeString(dir.resolve("cert.pem"), "certificate");
        Files.writeString(dir.resolve("key.pem"), "key");
        Path file = yaml("tls:\n  certificateFile: cert.pem\n  privateKeyFile: key.pem\n");

        TlsConfig tls = ConfigLoader.load(file, Map.of()).tls().orElseThrow();

        assertThat(tls.certificateFile()).isEqualTo(dir.resolve("cert.pem"));
        assertThat(tls.privateKeyFile()).isEqualTo(dir.resolve("key.pem"));
    }

    @Test
    void tlsCertificateWithoutKeyIsRefused() throws IOException {
        Files.writeString(dir.resolve("cert.pem"), "certificate");

        assertThatThrownBy(() -> ConfigLoader.load(
                        null,
                        Map.of("KINDRED_TLS_CERT_FILE", dir.resolve("cert.pem").toString())))
                .hasMessage("tls.privateKeyFile: missing (expected: set together with tls.certificateFile)");
    }

    @Test
    void publicKeyFileMustExist() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_JWT_PUBLIC_KEY_FILE", missing.toString())))
                .hasMessage(
                        "jwt.rs256PublicKeyFile: " + missing + " does not exist; set by KINDRED_JWT_PUBLIC_KEY_FILE");
    }

    @Test
    void missingOrBrokenFileIsRefused() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .hasMessage("configuration file " + missing + " does not exist or is not a file");

        Path broken = yaml("port: 9000\n  host: [\n");
        assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of()))
                .hasMessageStartingWith("configuration file " + broken + " is not valid YAML");

        Path twice = yaml("port: 9000\nport: 9001\n");
        assertThatThrownBy(() -> ConfigLoader.load(twice, Map.of())).hasMessageContaining("Duplicate field 'port'");

        Path scalar = yaml("just text\n");
        assertThatThrownBy(() -> ConfigLoader.load(scalar, Map.of()))
                .hasMessage("configuration file " + scalar + ": expected a mapping of settings at the top level");
    }

    @Test
    void badRoomIsReportedByPosition() throws IOException {
        Path file = yaml("rooms:\n  - id: ok\n    title: OK\n  - id: Not OK\n    title: Bad\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessage("rooms[1]: room id: 'Not OK' (expected: 1-64 of a-z, 0-9, '-', '_', starting with a letter"
                        + " or digit) (in " + file + ")");
    }

    @Test
    void everyEnvironmentVariableFollowsTheNamingRule() {
        assertThat(Setting.envVar("maxTextLength")).isEqualTo("KINDRED_MAX_TEXT_LENGTH");
        assertThat(Setting.envVar("outboundHighWaterMark")).isEqualTo("KINDRED_OUTBOUND_HIGH_WATER_MARK");
        assertThat(Setting.ALL)
                .extracting(Setting::envVar)
                .doesNotHaveDuplicates()
                .allMatch(v -> v.startsWith("KINDRED_"));
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "kindred", ".yaml");
        return Files.writeString(file, text);
    }
}
