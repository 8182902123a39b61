package org.kindred.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
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
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.identity.Identity;

/**
 * Verifies signed JWTs with the one algorithm and key of a {@link JwtConfig}: HS256 with the shared secret, or RS256
 * with the PEM public key. Any other algorithm, {@code alg: none} and encrypted tokens are refused, so a token cannot
 * pick how it is checked. {@code sub} and {@code exp} are required; the identity claims are read by
 * {@link IdentityClaims}. Thread-safe.
 */
public final class JwtTokenVerifier implements TokenVerifier {

    private final ConfigurableJWTProcessor<SecurityContext> processor;

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
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keySelector(config));
        // "JWT", RFC 9068 access tokens ("at+jwt") and tokens without a typ header.
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(new ClaimsVerifier(config, clock));
    }

    @Override
    public Identity verify(String token) {
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
        } catch (BadJOSEException e) {
            // nimbus' own sentences ("Signed JWT rejected: Invalid signature", "JWT iss claim value rejected").
            throw TokenRefusals.invalid(e.getMessage());
        } catch (JOSEException e) {
            throw TokenRefusals.invalid("token could not be verified: " + e.getMessage());
        }
        return IdentityClaims.identity(claims);
    }

    private static JWSKeySelector<SecurityContext> keySelector(JwtConfig config) {
        if (config.hs256Secret() != null) {
            byte[] secret = config.hs256Secret().getBytes(StandardCharsets.UTF_8);
            return new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret));
        }
        RSAKey key = new RSAKey.Builder(PemKeys.readRsaPublicKey(config.rs256PublicKeyFile())).build();
        return new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(key)));
    }

    /** nimbus reports "not yet valid" as a plain {@link BadJWTException}; this type lets us tell it from the rest. */
    private static final class NotYetValidException extends BadJWTException {
        NotYetValidException() {
            super("JWT before use time");
        }
    }

    /** nimbus' claims checks, on our clock, with issuer and audience when configured. */
    private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

        private final Clock clock;
        private final long skewSeconds;

        ClaimsVerifier(JwtConfig config, Clock clock) {
            super(config.audience(), exactMatch(config), requiredClaims(config));
            this.clock = clock;
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
            Set<String> required = new HashSet<>(Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME));
            if (config.issuer() != null) {
                required.add(JWTClaimNames.ISSUER);
            }
            return required;
        }
    }
}
