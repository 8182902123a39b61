package org.kindred.server.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kindred.server.auth.JwtTokenVerifier;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.config.Durations;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kindred-server gen-token}: signs an access token for operators and tests — with the configured HS256 secret,
 * or with an RS256 private key (the issuer's, whose public key the nodes are configured with). When the configuration
 * can verify the token, it is checked as a node would before it is printed, so a wrong key pair or a bad claim fails
 * here rather than at {@code hello}.
 */
@Command(
        name = "gen-token",
        mixinStandardHelpOptions = true,
        description = "Prints a signed access token (one line) for the configured HS256 secret, or for an RS256 "
                + "private key given with --private-key. Issuer and audience come from the configuration unless given.")
public final class GenTokenCommand implements Callable<Integer> {

    /** A token for operators and tests, not a session: long-lived tokens are a risk if they leak. */
    static final Duration MAX_TTL = Duration.ofDays(30);

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Configuration file whose jwt settings to use (default: $KINDRED_CONFIG); KINDRED_* "
                    + "variables apply as for a node")
    private Path configFile;

    @Option(names = "--sub", required = true, paramLabel = "ID", description = "The user id (sub claim)")
    private String subject;

    @Option(names = "--pseudonym", required = true, paramLabel = "NAME", description = "The name others see")
    private String pseudonym;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            split = ",",
            description = "member (default), mentor, facilitator or moderator; repeat or separate with commas")
    private List<String> roles = List.of();

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "1h",
            description = "Lifetime: 90s, 15m, 12h, 7d or ISO-8601 (PT1H); at most 30 days. Default: ${DEFAULT-VALUE}")
    private String ttl;

    @Option(
            names = "--private-key",
            paramLabel = "PEM",
            description = "Sign RS256 with this PKCS#8 private key (-----BEGIN PRIVATE KEY-----) instead of the "
                    + "configured HS256 secret")
    private Path privateKey;

    @Option(names = "--issuer", paramLabel = "ISS", description = "The iss claim (default: jwt.issuer, if set)")
    private String issuer;

    @Option(names = "--audience", paramLabel = "AUD", description = "The aud claim (default: jwt.audience, if set)")
    private String audience;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;
    private final Clock clock;

    public GenTokenCommand(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            String token = token();
            PrintWriter out = spec.commandLine().getOut();
            out.println(token);
            out.flush();
            return 0;
        } catch (ConfigException e) {
            err.println("kindred: invalid configuration: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            err.println("kindred gen-token: " + e.getMessage());
        }
        err.flush();
        return 2;
    }

    private String token() {
        KindredConfig config = ConfigLoader.load(configFile, environment);
        JwtConfig jwt = config.jwt();
        JWSSigner signer;
        JWSAlgorithm algorithm;
        if (privateKey != null) {
            if (jwt.hs256Secret() != null) {
                throw new IllegalArgumentException("the configuration verifies HS256 tokens with a shared secret; a "
                        + "token signed with --private-key (RS256) would be refused");
            }
            signer = new RSASSASigner(readPrivateKey(privateKey));
            algorithm = JWSAlgorithm.RS256;
        } else if (jwt.hs256Secret() != null) {
            try {
                signer = new MACSigner(jwt.hs256Secret().getBytes(StandardCharsets.UTF_8));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("jwt.hs256Secret cannot sign: " + e.getMessage(), e);
            }
            algorithm = JWSAlgorithm.HS256;
        } else if (jwt.rs256PublicKeyFile() != null) {
            throw new IllegalArgumentException(
                    "the configuration verifies RS256 tokens: give the issuer's private key " + "with --private-key");
        } else {
            throw new IllegalArgumentException("no JWT key is configured (development sign-in): set jwt.hs256Secret "
                    + "or KINDRED_JWT_SECRET, or give --private-key");
        }
        String token = sign(signer, algorithm, claims(jwt));
        if (jwt.hasKey()) {
            try {
                new JwtTokenVerifier(jwt, clock).verify(token);
            } catch (Refusal e) {
                throw new IllegalArgumentException(
                        "a node with this configuration would refuse the token: " + e.getMessage());
            }
        }
        return token;
    }

    private JWTClaimsSet claims(JwtConfig jwt) {
        Duration lifetime = lifetime();
        List<String> roleNames = roles.isEmpty() ? List.of(Role.MEMBER.wire()) : roles;
        for (String role : roleNames) {
            if (Role.fromWire(role).isEmpty()) {
                throw new IllegalArgumentException(
                        "--role " + role + ": unknown (expected: one of " + Role.wireNames() + ")");
            }
        }
        if (subject.isBlank()) {
            throw new IllegalArgumentException("--sub: empty (expected: the user's stable id)");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("pseudonym", pseudonym)
                .claim("roles", List.copyOf(roleNames))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        String iss = issuer != null ? issuer : jwt.issuer();
        String aud = audience != null ? audience : jwt.audience();
        if (iss != null) {
            claims.issuer(iss);
        }
        if (aud != null) {
            claims.audience(aud);
        }
        return claims.build();
    }

    private Duration lifetime() {
        Duration lifetime;
        try {
            lifetime = Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--ttl " + e.getMessage(), e);
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl " + ttl + ": expected more than 0 and at most 30 days");
        }
        return lifetime;
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("signing failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** A PKCS#8 RSA private key from a PEM file, with the JDK alone (as the server reads public keys). */
    static PrivateKey readPrivateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("--private-key: cannot read " + file + ": " + e.getMessage(), e);
        }
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(
                    "--private-key: " + file + " holds no PEM block (expected: -----BEGIN " + "PRIVATE KEY-----)");
        }
        if (m.group(1).equals("RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("--private-key: " + file + " holds a PKCS#1 RSA PRIVATE KEY (expected: "
                    + "PRIVATE KEY; convert with: openssl pkcs8 -topk8 -nocrypt -in " + file + ")");
        }
        if (!m.group(1).equals("PRIVATE KEY")) {
            throw new IllegalArgumentException(
                    "--private-key: " + file + " holds a " + m.group(1) + " (expected: PRIVATE KEY)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "--private-key: " + file + " does not hold an RSA private key: " + e.getMessage(), e);
        }
    }
}
