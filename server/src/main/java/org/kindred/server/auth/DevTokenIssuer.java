package org.kindred.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;

/**
 * Development sign-in: anyone picks a pseudonym and a role and gets a token, with no password. Only for nodes
 * without a JWT key ({@link org.kindred.server.config.KindredConfig#devSignIn()}).
 *
 * <p>The signing key is 256 random bits drawn at construction and never leaves the process, so dev tokens die with
 * the node and cannot be forged for, or replayed against, another node; a local cluster of development nodes passes
 * them one shared key instead ({@code devSecret}).
 *
 * <p>Every sign-in over HTTP ({@link #signIn}) is a new user, {@code "dev:"} and 128 random bits: a pseudonym and a
 * role never lead to a user someone else signed in as (a "moderator Robin" is not the member Robin). The client keeps
 * its user by renewing the token it holds ({@link #renew}). In-process callers (tests, tools) may name the user after
 * the pseudonym with {@link #issue}.
 *
 * <pre>{@code
 * DevTokenIssuer issuer = new DevTokenIssuer();
 * String token = issuer.signIn("Robin", Role.MEMBER);
 * Identity who = issuer.verifier().verify(token);  // dev:3f9c..., Robin, [member]
 * String later = issuer.renew(token);               // the same user, a new expiry
 * }</pre>
 */
public final class DevTokenIssuer {

    /** How long an issued token is valid: a working day, so a demo is not interrupted. */
    public static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    /** The {@code iss} of dev tokens; the verifier requires it so that other HS256 tokens cannot pass. */
    public static final String ISSUER = "kindred-dev";

    public static final String USER_ID_PREFIX = "dev:";
    public static final int MAX_PSEUDONYM_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final MACSigner signer;
    private final JwtConfig verifierConfig;
    private final TokenVerifier verifier;

    /** An issuer on the system clock. */
    public DevTokenIssuer() {
        this(Clock.systemUTC());
    }

    /** @param clock sets {@code iat} and {@code exp}, and is the verifier's clock too */
    public DevTokenIssuer(Clock clock) {
        this(clock, randomSecret());
    }

    /**
     * An issuer with a given key, so that several development nodes (a local cluster) accept each other's tokens.
     *
     * @param secret at least 32 bytes of UTF-8
     */
    public DevTokenIssuer(Clock clock, String secret) {
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 refused a 256-bit key", e);
        }
        verifierConfig = JwtConfig.hs256(secret).withIssuer(ISSUER);
        verifier = new JwtTokenVerifier(verifierConfig, clock);
    }

    /**
     * Signs a token for a new user with this pseudonym and role, valid for {@link #TOKEN_LIFETIME}: what
     * {@code POST /dev/token} answers. Two sign-ins with one pseudonym are two users.
     *
     * @param pseudonym 1 to 32 letters, digits, spaces, '.', '_' or '-'; surrounding spaces are dropped
     * @throws IllegalArgumentException if the pseudonym or role is not acceptable
     */
    public String signIn(String pseudonym, Role role) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return sign(USER_ID_PREFIX + HexFormat.of().formatHex(id), checkName(pseudonym, role), checkRole(role));
    }

    /**
     * A fresh token for the user of a valid token of this issuer, with its pseudonym and role: how a client keeps its
     * user across reconnects and past {@link #TOKEN_LIFETIME}.
     *
     * @throws org.kindred.server.connection.Refusal {@code token_invalid} or {@code token_expired}, as at sign-in
     */
    public String renew(String token) {
        Identity identity = verifier.verify(token);
        return sign(identity.userId(), identity.pseudonym(), identity.primaryRole());
    }

    /**
     * Signs a token for the user named after this pseudonym ({@code "dev:"} and the pseudonym in lower case), so that
     * the same pseudonym is the same user. For in-process callers only (tests, tools): over HTTP, {@link #signIn}.
     *
     * @param pseudonym 1 to 32 letters, digits, spaces, '.', '_' or '-'; surrounding spaces are dropped
     * @throws IllegalArgumentException if the pseudonym or role is not acceptable
     */
    public String issue(String pseudonym, Role role) {
        String name = checkName(pseudonym, role);
        return sign(USER_ID_PREFIX + name.toLowerCase(Locale.ROOT), name, checkRole(role));
    }

    /** A pseudonym of the right form that does not mislead (no invisible characters, no staff look-alike). */
    private static String checkName(String pseudonym, Role role) {
        String name = checkPseudonym(pseudonym);
        org.kindred.server.safety.Pseudonyms.refusal(name, role == Role.MODERATOR)
                .ifPresent(why -> {
                    throw new IllegalArgumentException("pseudonym: " + why);
                });
        return name;
    }

    private static Role checkRole(Role role) {
        if (role == null) {
            throw new IllegalArgumentException("role: null (expected: one of " + Role.wireNames() + ")");
        }
        return role;
    }

    private String sign(String userId, String name, Role role) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(userId)
                .claim("pseudonym", name)
                .claim("roles", List.of(role.wire()))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a dev token failed", e);
        }
        return jwt.serialize();
    }

    /** The configuration that verifies this issuer's tokens (HS256 with its key, issuer {@value #ISSUER}). */
    public JwtConfig verifierConfig() {
        return verifierConfig;
    }

    /** A verifier for this issuer's tokens, on the same clock. */
    public TokenVerifier verifier() {
        return verifier;
    }

    private static String randomSecret() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        // JwtConfig holds the secret as text: the key is the UTF-8 of 43 base64url characters, 256 random bits.
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String checkPseudonym(String pseudonym) {
        if (pseudonym == null) {
            throw new IllegalArgumentException("pseudonym: null (expected: 1-" + MAX_PSEUDONYM_LENGTH + " characters)");
        }
        String name = pseudonym.trim();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_PSEUDONYM_LENGTH) {
            throw new IllegalArgumentException("pseudonym: '" + pseudonym + "' has " + length
                    + " characters (expected: 1-" + MAX_PSEUDONYM_LENGTH + ")");
        }
        name.codePoints().filter(c -> !allowed(c)).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("pseudonym: '" + pseudonym + "' contains '" + Character.toString(c)
                    + "' (expected: letters, digits, spaces, '.', '_' or '-')");
        });
        return name;
    }

    private static boolean allowed(int c) {
        return Character.isLetterOrDigit(c) || c == ' ' || c == '.' || c == '_' || c == '-';
    }
}
