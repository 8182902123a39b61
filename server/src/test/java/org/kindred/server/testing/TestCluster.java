package org.kindred.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.kindred.server.KindredNode;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.StorageConfig;

/** Several real nodes on loopback sharing one Redis (or Redis Cluster), and tokens every node accepts. */
public final class TestCluster implements AutoCloseable {

    private static final String SECRET = "cluster-test-secret-long-enough-for-hs256!!";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<KindredNode> nodes = new ArrayList<>();
    private final List<KindredConfig> configs = new ArrayList<>();
    private final List<Boolean> running = new ArrayList<>();
    private final List<RawClient> clients = new ArrayList<>();

    private TestCluster() {}

    /**
     * Starts {@code count} nodes.
     *
     * @param redis    the Redis every node uses
     * @param settings further settings for every node
     */
    public static TestCluster start(int count, RedisConfig redis, UnaryOperator<KindredConfig.Builder> settings)
            throws InterruptedException {
        return start(count, i -> redis, settings);
    }

    /**
     * Starts {@code count} nodes, each with its own way to Redis (one through a proxy, say).
     *
     * @param redisOf  the Redis of the node of each index
     * @param settings further settings for every node
     */
    public static TestCluster start(
            int count, IntFunction<RedisConfig> redisOf, UnaryOperator<KindredConfig.Builder> settings)
            throws InterruptedException {
        TestCluster cluster = new TestCluster();
        // One database for the whole cluster, as in production.
        StorageConfig storage = StorageConfig.inMemory();
        try {
            for (int i = 0; i < count; i++) {
                KindredConfig config = settings.apply(TestNode.config()
                                .storage(storage)
                                .jwt(JwtConfig.hs256(SECRET))
                                .userIdSecret(SECRET)
                                .redis(redisOf.apply(i)
                                        .withNodeId("node-" + i + "-"
                                                + ProcessHandle.current().pid())))
                        .build();
                cluster.configs.add(config);
                cluster.nodes.add(KindredNode.start(config));
                cluster.running.add(true);
            }
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public KindredNode node(int index) {
        return nodes.get(index);
    }

    public URI ws(int index) {
        return URI.create(nodes.get(index).webSocketUri());
    }

    public int size() {
        return nodes.size();
    }

    /** The status of the node's {@code /readyz}: 200 ready, 503 not (answered within a second, or this fails). */
    public int readyz(int index) throws IOException, InterruptedException {
        return get(nodes.get(index).httpUri() + "/readyz", Duration.ofSeconds(1))
                .statusCode();
    }

    /** The node's {@code /metrics} (on its management listener), as Prometheus reads them. */
    public String metrics(int index) throws IOException, InterruptedException {
        return get(nodes.get(index).managementUri() + "/metrics", Duration.ofSeconds(5))
                .body();
    }

    private static HttpResponse<String> get(String uri, Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(uri)).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Crashes a node: no close frames, no goodbye to Redis. */
    public void halt(int index) {
        if (running.get(index)) {
            running.set(index, false);
            nodes.get(index).halt();
        }
    }

    /**
     * Crashes a node and starts a new process in its place at once, with the same configuration and node id (a new
     * port), as a container restart does.
     */
    public void restart(int index) throws InterruptedException {
        halt(index);
        nodes.set(index, KindredNode.start(configs.get(index)));
        running.set(index, true);
    }

    /** The JWT key of {@link #token}: a single node with it accepts the cluster's tokens too (restart tests). */
    public static JwtConfig jwt() {
        return JwtConfig.hs256(SECRET);
    }

    /** The key of the cluster's opaque user ids ({@code userIdSecret}), for nodes started outside this JVM. */
    public static String userIdSecret() {
        return SECRET;
    }

    /** The opaque id the cluster's members see for the user of {@link #token(String)} with this pseudonym. */
    public static String userId(String pseudonym) {
        return new org.kindred.server.identity.OpaqueUserIds(SECRET.getBytes(StandardCharsets.UTF_8))
                .of("user-" + pseudonym.toLowerCase());
    }

    /** A member's token every node of the cluster accepts; the same pseudonym is the same user. */
    public static String token(String pseudonym) {
        return token(pseudonym, "member");
    }

    /** A token with one role that every node of the cluster accepts. */
    public static String token(String pseudonym, String role) {
        return token(pseudonym, role, java.util.Map.of());
    }

    /** A token with one role and other claims (an age band, a verified-adult flag) that every node accepts. */
    public static String token(String pseudonym, String role, java.util.Map<String, Object> extra) {
        try {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                    .subject("user-" + pseudonym.toLowerCase())
                    .claim("pseudonym", pseudonym)
                    .claim("roles", List.of(role))
                    .issueTime(Date.from(Instant.now()))
                    .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))));
            extra.forEach(builder::claim);
            JWTClaimsSet claims = builder.build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw client signed in on a node as this user with this role; closed with the cluster. */
    public RawClient signedIn(int node, String pseudonym, String role) throws Exception {
        return kept(RawClient.signedIn(node(node).webSocketUri(), token(pseudonym, role)));
    }

    /** A raw client signed in on a node as this member, invisible or not; closed with the cluster. */
    public RawClient signedIn(int node, String pseudonym, boolean invisible) throws Exception {
        return kept(RawClient.signedIn(node(node).webSocketUri(), token(pseudonym), invisible));
    }

    private synchronized RawClient kept(RawClient client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        synchronized (this) {
            clients.forEach(RawClient::close);
            clients.clear();
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (running.get(i)) {
                running.set(i, false);
                nodes.get(i).close();
            }
        }
    }
}
