package org.kindred.server.config;

/**
 * A setting is missing, malformed or contradicts another. The message names the setting, the offending value and what
 * was expected, so that an operator can fix the configuration without reading code. Never carries a secret.
 */
public final class ConfigException extends RuntimeException {

    /** The file key of the setting the problem is about (such as {@code "port"}), or {@code null} if several. */
    private final String setting;

    public ConfigException(String message) {
        this(null, message, null);
    }

    public ConfigException(String message, Throwable cause) {
        this(null, message, cause);
    }

    /** Lets {@link ConfigLoader} say where the offending value came from (file or environment variable). */
    ConfigException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    static ConfigException about(String setting, String message) {
        return new ConfigException(setting, message, null);
    }

    String setting() {
        return setting;
    }
}
