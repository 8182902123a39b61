package org.kindred.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.identity.Identity;

/**
 * Verifies signed JWTs with the key of a {@link JwtConfig}: HS256 with the shared secret, RS256 with the PEM public key,
 * or RS256, ES256 and EdDSA (Ed25519) with the keys of a JWKS URL; the public key file may also hold an Ed25519 key
 * (EdDSA). Ed25519 is checked by the JDK ({@link Ed25519Verification}). Any other algorithm, {@code alg: none} and encrypted tokens
 * are refused, so a token cannot pick how it is checked. {@code sub}, {@code exp} and {@code iat} are required, and a
 * token older than {@code jwt.maxTokenAge} is refused; the identity claims are read by {@link IdentityClaims}.
 * Thread-safe.
 *
 * <p>The JWKS is fetched at the first token, kept for {@code jwt.jwksCacheTtl} (and used past it while the provider is
 * unreachable), and fetched again at once for a {@code kid} it does not hold — how a provider's key rotation reaches
 * the node — at most twice every 30 seconds, so forged {@code kid}s cannot hammer the provider.
 */
public final class JwtTokenVerifier implements TokenVerifier {

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final Duration maxTokenAge;

    /** A verifier on the system clock. */
    public JwtTokenVerifier(JwtConfig config) {
        this(config, Clock.systemUTC());
    }

    /**
     * @param clock decides whether {@code exp} and {@code nbf} have passed; tests pass a fixed clock
     * @throws ConfigException if the config has no key, or the public key file cannot be read as an RSA key
     */
    public JwtTokenVerifier(JwtConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        if (!config.hasKey()) {
            throw new ConfigException("jwt: no key (expected: hs256Secret or rs256PublicKeyFile)");
        }
        this.maxTokenAge = config.maxTokenAge();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keySelector(config));
        processor.setJWSVerifierFactory(new Ed25519Verification.VerifierFactory());
        // "JWT", RFC 9068 access tokens ("at+jwt") and tokens without a typ header.
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(new ClaimsVerifier(config, clock));
    }

    @Override
    public Identity verify(String token) {
        return signIn(token).identity();
    }

    @Override
    public SignedIn signIn(String token) {
        if (token == null || token.isBlank()) {
            throw TokenRefusals.missing();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token.trim(), null);
        } catch (ParseException e) {
            // Parse messages can quote pieces of the token: say what is wrong without them.
            throw TokenRefusals.invalid("token is not a well-formed signed JWT");
        } catch (ExpiredJWTException e) {
            throw TokenRefusals.expired("token has expired");
        } catch (NotYetValidException e) {
            throw TokenRefusals.expired("token is not yet valid");
        } catch (TooOldException e) {
            throw TokenRefusals.expired(e.getMessage());
        } catch (BadJOSEException e) {
            // nimbus' own sentences ("Signed JWT rejected: Invalid signature", "JWT iss claim value rejected").
            throw TokenRefusals.invalid(e.getMessage());
        } catch (JOSEException e) {
            throw TokenRefusals.invalid("token could not be verified: " + e.getMessage());
        }
        Identity identity = IdentityClaims.identity(claims);
        Instant expiry = claims.getExpirationTime().toInstant();
        Instant tooOld = claims.getIssueTime().toInstant().plus(maxTokenAge);
        return new SignedIn(identity, expiry.isBefore(tooOld) ? expiry : tooOld);
    }

    private static JWSKeySelector<SecurityContext> keySelector(JwtConfig config) {
        if (config.hs256Secret() != null) {
            byte[] secret = config.hs256Secret().getBytes(StandardCharsets.UTF_8);
            return new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret));
        }
        if (config.jwksUrl() != null) {
            URL url;
            try {
                url = URI.create(config.jwksUrl()).toURL();
            } catch (MalformedURLException e) {
                throw new ConfigException("jwt.jwksUrl: '" + config.jwksUrl() + "' is not a URL: " + e.getMessage());
            }
            JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(url)
                    .cache(config.jwksCacheTtl().toMillis(), JWKS_REFRESH_TIMEOUT_MILLIS)
                    .rateLimited(JWKS_RATE_LIMIT_MILLIS)
                    .retrying(true)
                    .outageTolerant(config.jwksCacheTtl().multipliedBy(12).toMillis())
                    .build();
            return new Ed25519Verification.KeySelector(JWKS_ALGORITHMS, keys);
        }
        PublicKey key = PemKeys.readPublicKey(config.rs256PublicKeyFile());
        if (key instanceof EdECPublicKey ed25519) {
            return new Ed25519Verification.KeySelector(
                    Ed25519Verification.ALGORITHMS,
                    new ImmutableJWKSet<>(new JWKSet(Ed25519Verification.jwk(ed25519))));
        }
        RSAKey rsa = new RSAKey.Builder((RSAPublicKey) key).build();
        return new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(rsa)));
    }

    static final Set<JWSAlgorithm> JWKS_ALGORITHMS =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    private static final long JWKS_REFRESH_TIMEOUT_MILLIS = 15_000;
    /** Two fetches at most per this interval: the first one and one for a rotated key. */
    private static final long JWKS_RATE_LIMIT_MILLIS = 30_000;

    /** nimbus reports "not yet valid" as a plain {@link BadJWTException}; this type lets us tell it from the rest. */
    private static final class NotYetValidException extends BadJWTException {
        NotYetValidException() {
            super("JWT before use time");
        }
    }

    /** A token older than {@code jwt.maxTokenAge}: refused as expired, so that clients fetch a fresh one. */
    private static final class TooOldException extends BadJWTException {
        TooOldException(Duration maxTokenAge) {
            super("token is older than jwt.maxTokenAge (" + maxTokenAge.toSeconds() + " s since iat)");
        }
    }

    /** nimbus' claims checks, on our clock, with issuer and audience when configured. */
    private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

        private final Clock clock;
        private final long skewSeconds;
        private final Duration maxTokenAge;

        ClaimsVerifier(JwtConfig config, Clock clock) {
            super(config.audience(), exactMatch(config), requiredClaims(config));
            this.clock = clock;
            this.maxTokenAge = config.maxTokenAge();
            this.skewSeconds = config.clockSkew().toSeconds();
            setMaxClockSkew((int) skewSeconds);
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && nbf.toInstant().isAfter(clock.instant().plusSeconds(skewSeconds))) {
                throw new NotYetValidException();
            }
            super.verify(claims, context);
            Instant issued = claims.getIssueTime().toInstant();
            if (issued.isAfter(clock.instant().plusSeconds(skewSeconds))) {
                throw new BadJWTException("JWT iat claim is in the future");
            }
            if (issued.plus(maxTokenAge).plusSeconds(skewSeconds).isBefore(clock.instant())) {
                throw new TooOldException(maxTokenAge);
            }
        }

        @Override
        protected Date currentTime() {
            return Date.from(Instant.now(clock));
        }

        private static JWTClaimsSet exactMatch(JwtConfig config) {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
            if (config.issuer() != null) {
                builder.issuer(config.issuer());
            }
            return builder.build();
        }

        private static Set<String> requiredClaims(JwtConfig config) {
            Set<String> required = new HashSet<>(
                    Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.ISSUED_AT));
            if (config.issuer() != null) {
                required.add(JWTClaimNames.ISSUER);
            }
            return required;
        }
    }
}
