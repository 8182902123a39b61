package org.kindred.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/** Where members' tokens come from: the node's development sign-in, or HS256 tokens minted with a shared secret. */
public interface Tokens extends AutoCloseable {

    /**
     * A token for this user, usable on the node at {@code url}.
     *
     * @param sub       the stable user id (used when minting)
     * @param pseudonym the name shown to others
     * @param role      the role in the token: {@code member}, or {@code mentor} for the support scenario's mentors
     */
    CompletableFuture<String> token(URI url, String sub, String pseudonym, String role);

    @Override
    default void close() {}

    /** The embedded default's {@code POST /dev/token} on the same port as the WebSocket; one node signs for itself. */
    final class DevSignIn implements Tokens {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "lt-dev-token");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
        /** At most this many sign-ins in flight: they are HTTP connections (file descriptors) too. */
        private final Semaphore inFlight = new Semaphore(8);

        @Override
        public CompletableFuture<String> token(URI url, String sub, String pseudonym, String role) {
            URI endpoint = URI.create("http://" + url.getRawAuthority() + "/dev/token");
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"pseudonym\":" + Commands.quote(pseudonym) + ",\"role\":" + Commands.quote(role) + "}"))
                    .build();
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .whenComplete((r, e) -> inFlight.release())
                    .thenApply(response -> {
                        if (response.statusCode() == 404) {
                            throw new IllegalStateException("the node at " + url + " has no development sign-in "
                                    + "(it has a JWT key): pass --jwt-secret with the nodes' HS256 secret");
                        }
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(
                                    "POST " + endpoint + " answered " + response.statusCode() + ": " + response.body());
                        }
                        try {
                            JsonNode body = JSON.readTree(response.body());
                            return body.get("token").asText();
                        } catch (Exception e) {
                            throw new IllegalStateException("POST " + endpoint + ": unexpected answer", e);
                        }
                    });
        }

        @Override
        public void close() {
            http.shutdownNow();
        }
    }

    /** HS256 tokens signed here with the cluster's shared secret: claims sub, pseudonym, roles [role], exp. */
    final class Minted implements Tokens {
        private final MACSigner signer;
        private final String issuer;
        private final Duration lifetime;

        public Minted(String secret, String issuer, Duration lifetime) {
            try {
                signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("--jwt-secret: HS256 needs at least 32 bytes ("
                        + secret.getBytes(StandardCharsets.UTF_8).length + " given)");
            }
            this.issuer = issuer;
            this.lifetime = lifetime;
        }

        public String mint(String sub, String pseudonym, String role) {
            Instant now = Instant.now();
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .subject(sub)
                    .claim("pseudonym", pseudonym)
                    .claim("roles", List.of(role))
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime)));
            if (issuer != null) {
                claims.issuer(issuer);
            }
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims.build());
            try {
                jwt.sign(signer);
            } catch (JOSEException e) {
                throw new IllegalStateException("signing a token failed", e);
            }
            return jwt.serialize();
        }

        @Override
        public CompletableFuture<String> token(URI url, String sub, String pseudonym, String role) {
            return CompletableFuture.completedFuture(mint(sub, pseudonym, role));
        }
    }
}
