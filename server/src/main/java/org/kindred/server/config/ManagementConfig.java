package org.kindred.server.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The management listener: a second port, apart from the chat port, that serves {@code /metrics}, detailed readiness
 * and the server API. It is for operators and the community's backend, never for members' browsers, so it listens on
 * loopback unless told otherwise; the chat port serves only {@code /ws}, {@code /healthz}, {@code /readyz} and the web
 * app.
 *
 * @param host the interface to listen on; default {@value #DEFAULT_HOST}
 * @param port the TCP port, 0 to 65535 (0 picks a free port); default {@value #DEFAULT_PORT}
 * @param apiKeys who may call the server API ({@code Authorization: Bearer KEY}); none: the API answers 401 to all
 */
public record ManagementConfig(String host, int port, List<ApiKey> apiKeys) {

    /**
     * One caller of the server API: its name (in the audit log) and the SHA-256 of its key. Only the hash is kept, so
     * the configuration may hold {@code name=sha256:HEX} instead of the key itself.
     */
    public record ApiKey(String name, byte[] sha256) {
        public ApiKey {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw ConfigException.about(
                        "management.apiKeys",
                        "management.apiKeys: name '" + name + "' (expected: 1-64 of letters, digits, '.', '_', '-')");
            }
            sha256 = sha256.clone();
        }

        /**
         * Reads {@code name=KEY} (a key of at least 32 characters) or {@code name=sha256:HEX}; never echoes a key.
         */
        public static ApiKey parse(String entry) {
            int equals = entry == null ? -1 : entry.indexOf('=');
            if (equals <= 0) {
                throw ConfigException.about(
                        "management.apiKeys",
                        "management.apiKeys: an entry without 'name=' (expected: name=KEY or name=sha256:HEX)");
            }
            String name = entry.substring(0, equals).trim();
            String value = entry.substring(equals + 1).trim();
            if (value.startsWith("sha256:")) {
                String hex = value.substring(7);
                if (!hex.matches("[0-9a-fA-F]{64}")) {
                    throw ConfigException.about(
                            "management.apiKeys", "management.apiKeys: " + name + "'s sha256 is not 64 hex digits");
                }
                return new ApiKey(name, HexFormat.of().parseHex(hex));
            }
            if (value.length() < 32) {
                throw ConfigException.about(
                        "management.apiKeys",
                        "management.apiKeys: " + name + "'s key has " + value.length()
                                + " characters (expected: at least 32, e.g. openssl rand -base64 32)");
            }
            return new ApiKey(name, sha256(value));
        }

        /** The SHA-256 of a key's UTF-8. */
        public static byte[] sha256(String key) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ApiKey key && key.name.equals(name) && MessageDigest.isEqual(key.sha256, sha256);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name + "=<hashed>";
        }
    }

    /** The caller whose key this is, compared in constant time over every configured key. */
    public Optional<String> caller(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = ApiKey.sha256(presentedKey);
        String found = null;
        for (ApiKey key : apiKeys) {
            if (MessageDigest.isEqual(hash, key.sha256) && found == null) {
                found = key.name();
            }
        }
        return Optional.ofNullable(found);
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8089;

    private static final ManagementConfig DEFAULTS = new ManagementConfig(DEFAULT_HOST, DEFAULT_PORT, List.of());

    /** Without API keys. */
    public ManagementConfig(String host, int port) {
        this(host, port, List.of());
    }

    public ManagementConfig {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        if (apiKeys.stream().map(ApiKey::name).distinct().count() != apiKeys.size()) {
            throw ConfigException.about(
                    "management.apiKeys", "management.apiKeys: a name appears twice (expected: unique names)");
        }
        if (host == null || host.isBlank()) {
            throw ConfigException.about(
                    "management.host", "management.host: '" + host + "' (expected: an address, e.g. 127.0.0.1)");
        }
        if (port < 0 || port > 65535) {
            throw ConfigException.about("management.port", "management.port: " + port + " (expected: 0-65535)");
        }
    }

    /** Loopback, port {@value #DEFAULT_PORT}. */
    public static ManagementConfig defaults() {
        return DEFAULTS;
    }

    /** A copy on this port (0: any free port). */
    public ManagementConfig withPort(int port) {
        return new ManagementConfig(host, port, apiKeys);
    }

    /** A copy on this interface. */
    public ManagementConfig withHost(String host) {
        return new ManagementConfig(host, port, apiKeys);
    }

    /** A copy with these API keys ({@code name=KEY} or {@code name=sha256:HEX} each). */
    public ManagementConfig withApiKeys(String... entries) {
        return new ManagementConfig(
                host, port, java.util.Arrays.stream(entries).map(ApiKey::parse).toList());
    }

    @Override
    public String toString() {
        return "[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys + "]";
    }
}
