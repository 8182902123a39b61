package org.kindred.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A configuration being assembled by {@link ConfigLoader}: the builder, the parts of the nested {@code tls} and
 * {@code jwt} records (which can only be checked once both sources are read, since the environment may complete what
 * the file started), and where each setting came from, for error messages.
 */
final class Draft {

    final KindredConfig.Builder builder;
    Path tlsCertificateFile;
    Path tlsPrivateKeyFile;
    String jwtSecret;
    Path jwtPublicKeyFile;
    String jwtIssuer;
    String jwtAudience;
    Duration jwtClockSkew;

    /** Directory that relative paths are resolved against: the configuration file's while reading it. */
    Path baseDirectory;

    private final Map<String, String> sources = new HashMap<>();

    Draft(KindredConfig base) {
        builder = base.toBuilder();
        base.tls().ifPresent(tls -> {
            tlsCertificateFile = tls.certificateFile();
            tlsPrivateKeyFile = tls.privateKeyFile();
        });
        JwtConfig jwt = base.jwt();
        jwtSecret = jwt.hs256Secret();
        jwtPublicKeyFile = jwt.rs256PublicKeyFile();
        jwtIssuer = jwt.issuer();
        jwtAudience = jwt.audience();
        jwtClockSkew = jwt.clockSkew();
    }

    Path path(String text) {
        Path path = Path.of(text);
        return baseDirectory == null ? path : baseDirectory.resolve(path);
    }

    void recordSource(String key, String source) {
        sources.put(key, source);
    }

    /** "set by KINDRED_PORT" or "set in /etc/kindred.yaml", or {@code null} if the value is the default. */
    String sourceOf(String key) {
        return sources.get(key);
    }

    KindredConfig build() {
        TlsConfig tls = tlsCertificateFile == null && tlsPrivateKeyFile == null
                ? null
                : new TlsConfig(tlsCertificateFile, tlsPrivateKeyFile);
        JwtConfig jwt = new JwtConfig(jwtSecret, jwtPublicKeyFile, jwtIssuer, jwtAudience, jwtClockSkew);
        return builder.tls(tls).jwt(jwt).build();
    }
}
