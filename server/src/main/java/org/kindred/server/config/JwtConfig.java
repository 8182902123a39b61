package org.kindred.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How access tokens are verified: with a shared HS256 secret, an RS256 public key (a PEM file holding a
 * {@code PUBLIC KEY} or a {@code CERTIFICATE}), or the keys the identity provider publishes at a JWKS URL (RS256 and
 * ES256, rotated by the provider and picked by {@code kid}). Exactly one of the three, or none: then the server
 * offers development sign-in instead (see {@link KindredConfig#devSignIn()}).
 *
 * @param hs256Secret        the shared HMAC secret, at least 32 bytes of UTF-8; {@code null} if unset
 * @param rs256PublicKeyFile the PEM public key of the token issuer; {@code null} if unset
 * @param jwksUrl            the issuer's JSON Web Key Set, {@code https://} (or {@code http://} on loopback); {@code null}
 *                           if unset. Fetched at the first token, cached for {@link #jwksCacheTtl}, fetched again at
 *                           once for a {@code kid} it does not know (a rotation), at most once every 30 seconds
 * @param issuer             the required {@code iss} claim; {@code null} accepts any issuer
 * @param audience           a required {@code aud} value; {@code null} accepts any audience
 * @param clockSkew          how far {@code exp} and {@code nbf} may be off, whole seconds, 0 to 10 minutes; {@code null}
 *                           means {@link #DEFAULT_CLOCK_SKEW} (30 seconds)
 * @param maxTokenAge        how old a token may be, from its {@code iat} (which it must then carry): an older token is
 *                           refused and a connection is closed when its token reaches this age; {@code null} means
 *                           {@link #DEFAULT_MAX_TOKEN_AGE} (30 days), 1 minute to 365 days
 * @param jwksCacheTtl       how long the JWKS is used before it is fetched again; {@code null} means
 *                           {@link #DEFAULT_JWKS_CACHE_TTL} (5 minutes), 30 seconds to 1 day
 */
public record JwtConfig(
        String hs256Secret,
        Path rs256PublicKeyFile,
        String jwksUrl,
        String issuer,
        String audience,
        Duration clockSkew,
        Duration maxTokenAge,
        Duration jwksCacheTtl) {

    /** HS256 needs a key of at least 256 bits (nimbus-jose-jwt refuses shorter ones). */
    public static final int MIN_SECRET_BYTES = 32;

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MAX_TOKEN_AGE = Duration.ofDays(30);
    public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(5);

    private static final JwtConfig NONE = new JwtConfig(null, null, null, null, DEFAULT_CLOCK_SKEW);

    public JwtConfig {
        if (clockSkew == null) {
            clockSkew = DEFAULT_CLOCK_SKEW;
        }
        if (maxTokenAge == null) {
            maxTokenAge = DEFAULT_MAX_TOKEN_AGE;
        }
        if (jwksCacheTtl == null) {
            jwksCacheTtl = DEFAULT_JWKS_CACHE_TTL;
        }
        long keys = Stream.of(hs256Secret, rs256PublicKeyFile, jwksUrl)
                .filter(java.util.Objects::nonNull)
                .count();
        if (keys > 1) {
            throw ConfigException.about(
                    hs256Secret != null ? "jwt.hs256Secret" : "jwt.rs256PublicKeyFile",
                    "jwt: more than one of hs256Secret, rs256PublicKeyFile and jwksUrl is set (expected: at most one)");
        }
        if (hs256Secret != null) {
            int bytes = hs256Secret.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                // Never echo the secret itself: only its length.
                throw ConfigException.about(
                        "jwt.hs256Secret",
                        "jwt.hs256Secret: " + bytes + " bytes (expected: at least " + MIN_SECRET_BYTES
                                + " bytes, HS256 needs a 256-bit key)");
            }
        }
        if (jwksUrl != null) {
            jwksUrl = checkedJwksUrl(jwksUrl);
        }
        requireNonBlankIfSet("jwt.issuer", issuer);
        requireNonBlankIfSet("jwt.audience", audience);
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw ConfigException.about(
                    "jwt.clockSkew", "jwt.clockSkew: " + Durations.format(clockSkew) + " (expected: 0s-10m)");
        }
        if (maxTokenAge.compareTo(Duration.ofMinutes(1)) < 0 || maxTokenAge.compareTo(Duration.ofDays(365)) > 0) {
            throw ConfigException.about(
                    "jwt.maxTokenAge", "jwt.maxTokenAge: " + Durations.format(maxTokenAge) + " (expected: 1m-365d)");
        }
        if (jwksCacheTtl.compareTo(Duration.ofSeconds(30)) < 0 || jwksCacheTtl.compareTo(Duration.ofDays(1)) > 0) {
            throw ConfigException.about(
                    "jwt.jwksCacheTtl", "jwt.jwksCacheTtl: " + Durations.format(jwksCacheTtl) + " (expected: 30s-1d)");
        }
    }

    /** The settings of before JWKS and token age: defaults for those. */
    public JwtConfig(String hs256Secret, Path rs256PublicKeyFile, String issuer, String audience, Duration clockSkew) {
        this(hs256Secret, rs256PublicKeyFile, null, issuer, audience, clockSkew, null, null);
    }

    /** No key: tokens cannot be verified, so the server runs development sign-in. Clock skew 30 seconds. */
    public static JwtConfig none() {
        return NONE;
    }

    /** Verify HS256 tokens with this shared secret (at least 32 bytes); any issuer and audience; skew 30 seconds. */
    public static JwtConfig hs256(String secret) {
        if (secret == null) {
            throw ConfigException.about("jwt.hs256Secret", "jwt.hs256Secret: null (expected: at least 32 bytes)");
        }
        return new JwtConfig(secret, null, null, null, DEFAULT_CLOCK_SKEW);
    }

    /** Verify RS256 tokens with the PEM public key in this file; any issuer and audience; skew 30 seconds. */
    public static JwtConfig rs256(Path publicKeyFile) {
        if (publicKeyFile == null) {
            throw ConfigException.about("jwt.rs256PublicKeyFile", "jwt.rs256PublicKeyFile: null (expected: a file)");
        }
        return new JwtConfig(null, publicKeyFile, null, null, DEFAULT_CLOCK_SKEW);
    }

    /** Verify RS256 and ES256 tokens with the keys published at this JWKS URL; any issuer and audience. */
    public static JwtConfig jwks(String url) {
        if (url == null) {
            throw ConfigException.about("jwt.jwksUrl", "jwt.jwksUrl: null (expected: an https URL)");
        }
        return new JwtConfig(null, null, url, null, null, null, null, null);
    }

    /** Whether a verification key is configured; without one the server runs development sign-in. */
    public boolean hasKey() {
        return hs256Secret != null || rs256PublicKeyFile != null || jwksUrl != null;
    }

    /** A copy that also requires this {@code iss} claim ({@code null}: any). */
    public JwtConfig withIssuer(String issuer) {
        return new JwtConfig(
                hs256Secret, rs256PublicKeyFile, jwksUrl, issuer, audience, clockSkew, maxTokenAge, jwksCacheTtl);
    }

    /** A copy that also requires this {@code aud} value ({@code null}: any). */
    public JwtConfig withAudience(String audience) {
        return new JwtConfig(
                hs256Secret, rs256PublicKeyFile, jwksUrl, issuer, audience, clockSkew, maxTokenAge, jwksCacheTtl);
    }

    /** A copy with this clock skew. */
    public JwtConfig withClockSkew(Duration clockSkew) {
        return new JwtConfig(
                hs256Secret, rs256PublicKeyFile, jwksUrl, issuer, audience, clockSkew, maxTokenAge, jwksCacheTtl);
    }

    /** A copy with this maximum token age. */
    public JwtConfig withMaxTokenAge(Duration maxTokenAge) {
        return new JwtConfig(
                hs256Secret, rs256PublicKeyFile, jwksUrl, issuer, audience, clockSkew, maxTokenAge, jwksCacheTtl);
    }

    /** A copy with this JWKS cache time. */
    public JwtConfig withJwksCacheTtl(Duration jwksCacheTtl) {
        return new JwtConfig(
                hs256Secret, rs256PublicKeyFile, jwksUrl, issuer, audience, clockSkew, maxTokenAge, jwksCacheTtl);
    }

    /** Lists every field but prints the secret as {@code <set>}: this string ends up in logs. */
    @Override
    public String toString() {
        return "JwtConfig[hs256Secret=" + (hs256Secret == null ? "<none>" : "<set>")
                + ", rs256PublicKeyFile=" + rs256PublicKeyFile
                + ", jwksUrl=" + jwksUrl
                + ", issuer=" + issuer
                + ", audience=" + audience
                + ", clockSkew=" + Durations.format(clockSkew)
                + ", maxTokenAge=" + Durations.format(maxTokenAge)
                + ", jwksCacheTtl=" + Durations.format(jwksCacheTtl) + "]";
    }

    private static String checkedJwksUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost();
            boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
            if (scheme.equals("https") && !host.isEmpty() || scheme.equals("http") && loopback) {
                return uri.toString();
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ConfigException.about(
                "jwt.jwksUrl",
                "jwt.jwksUrl: '" + url + "' (expected: an https URL, e.g. https://id.example.org/.well-known/jwks.json;"
                        + " http only on loopback)");
    }

    private static void requireNonBlankIfSet(String setting, String value) {
        if (value != null && value.isBlank()) {
            throw ConfigException.about(setting, setting + ": '" + value + "' (expected: non-blank, or unset)");
        }
    }
}
