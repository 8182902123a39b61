package org.kindred.server.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How access tokens are verified: with a shared HS256 secret, or with an RS256 public key (a PEM file holding a
 * {@code PUBLIC KEY} or a {@code CERTIFICATE}). At most one of the two; with neither, the server offers development
 * sign-in instead (see {@link KindredConfig#devSignIn()}).
 *
 * @param hs256Secret        the shared HMAC secret, at least 32 bytes of UTF-8; {@code null} if unset
 * @param rs256PublicKeyFile the PEM public key of the token issuer; {@code null} if unset
 * @param issuer             the required {@code iss} claim; {@code null} accepts any issuer
 * @param audience           a required {@code aud} value; {@code null} accepts any audience
 * @param clockSkew          how far {@code exp} and {@code nbf} may be off, whole seconds, 0 to 10 minutes; {@code null}
 *                           means {@link #DEFAULT_CLOCK_SKEW} (30 seconds)
 */
public record JwtConfig(
        String hs256Secret, Path rs256PublicKeyFile, String issuer, String audience, Duration clockSkew) {

    /** HS256 needs a key of at least 256 bits (nimbus-jose-jwt refuses shorter ones). */
    public static final int MIN_SECRET_BYTES = 32;

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    private static final JwtConfig NONE = new JwtConfig(null, null, null, null, DEFAULT_CLOCK_SKEW);

    public JwtConfig {
        if (clockSkew == null) {
            clockSkew = DEFAULT_CLOCK_SKEW;
        }
        if (hs256Secret != null && rs256PublicKeyFile != null) {
            throw ConfigException.about(
                    "jwt.hs256Secret", "jwt: both hs256Secret and rs256PublicKeyFile are set (expected: at most one)");
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
        requireNonBlankIfSet("jwt.issuer", issuer);
        requireNonBlankIfSet("jwt.audience", audience);
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw ConfigException.about(
                    "jwt.clockSkew", "jwt.clockSkew: " + Durations.format(clockSkew) + " (expected: 0s-10m)");
        }
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

    /** Whether a verification key is configured; without one the server runs development sign-in. */
    public boolean hasKey() {
        return hs256Secret != null || rs256PublicKeyFile != null;
    }

    /** A copy that also requires this {@code iss} claim ({@code null}: any). */
    public JwtConfig withIssuer(String issuer) {
        return new JwtConfig(hs256Secret, rs256PublicKeyFile, issuer, audience, clockSkew);
    }

    /** A copy that also requires this {@code aud} value ({@code null}: any). */
    public JwtConfig withAudience(String audience) {
        return new JwtConfig(hs256Secret, rs256PublicKeyFile, issuer, audience, clockSkew);
    }

    /** A copy with this clock skew. */
    public JwtConfig withClockSkew(Duration clockSkew) {
        return new JwtConfig(hs256Secret, rs256PublicKeyFile, issuer, audience, clockSkew);
    }

    /** Lists every field but prints the secret as {@code <set>}: this string ends up in logs. */
    @Override
    public String toString() {
        return "JwtConfig[hs256Secret=" + (hs256Secret == null ? "<none>" : "<set>")
                + ", rs256PublicKeyFile=" + rs256PublicKeyFile
                + ", issuer=" + issuer
                + ", audience=" + audience
                + ", clockSkew=" + Durations.format(clockSkew) + "]";
    }

    private static void requireNonBlankIfSet(String setting, String value) {
        if (value != null && value.isBlank()) {
            throw ConfigException.about(setting, setting + ": '" + value + "' (expected: non-blank, or unset)");
        }
    }
}
