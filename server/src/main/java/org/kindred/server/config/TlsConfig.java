package org.kindred.server.config;

import java.nio.file.Path;

/**
 * TLS for the WebSocket listener: a PEM certificate chain and its PEM private key (PKCS#8). Both are required together.
 * {@link ConfigLoader} checks that both files exist and are readable when it loads them; this record does not touch the
 * file system.
 *
 * @param certificateFile the PEM certificate chain, leaf first
 * @param privateKeyFile  the PEM private key of the leaf certificate
 */
public record TlsConfig(Path certificateFile, Path privateKeyFile) {

    public TlsConfig {
        if (certificateFile == null && privateKeyFile == null) {
            throw ConfigException.about("tls", "tls: certificateFile and privateKeyFile are both missing");
        }
        if (certificateFile == null) {
            throw ConfigException.about(
                    "tls.certificateFile",
                    "tls.certificateFile: missing (expected: set together with tls.privateKeyFile)");
        }
        if (privateKeyFile == null) {
            throw ConfigException.about(
                    "tls.privateKeyFile",
                    "tls.privateKeyFile: missing (expected: set together with tls.certificateFile)");
        }
    }
}
