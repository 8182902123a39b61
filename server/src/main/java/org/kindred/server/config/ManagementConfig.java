package org.kindred.server.config;

/**
 * The management listener: a second port, apart from the chat port, that serves {@code /metrics}, detailed readiness
 * and the server API. It is for operators and the community's backend, never for members' browsers, so it listens on
 * loopback unless told otherwise; the chat port serves only {@code /ws}, {@code /healthz}, {@code /readyz} and the web
 * app.
 *
 * @param host the interface to listen on; default {@value #DEFAULT_HOST}
 * @param port the TCP port, 0 to 65535 (0 picks a free port); default {@value #DEFAULT_PORT}
 */
public record ManagementConfig(String host, int port) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8089;

    private static final ManagementConfig DEFAULTS = new ManagementConfig(DEFAULT_HOST, DEFAULT_PORT);

    public ManagementConfig {
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
        return new ManagementConfig(host, port);
    }

    /** A copy on this interface. */
    public ManagementConfig withHost(String host) {
        return new ManagementConfig(host, port);
    }

    @Override
    public String toString() {
        return "[host=" + host + ", port=" + port + "]";
    }
}
