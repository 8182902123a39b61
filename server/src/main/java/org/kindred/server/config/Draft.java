package org.kindred.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kindred.protocol.CrisisResource;

/**
 * A configuration being assembled by {@link ConfigLoader}: the builder, the parts of the nested {@code tls},
 * {@code jwt}, {@code redis} and {@code support} records (which can only be checked once both sources are read, since the environment may complete what
 * the file started), and where each setting came from, for error messages.
 */
final class Draft {

    final KindredConfig.Builder builder;
    Path tlsCertificateFile;
    Path tlsPrivateKeyFile;
    String jwtSecret;
    Path jwtPublicKeyFile;
    String jwtJwksUrl;
    Duration jwtMaxTokenAge;
    Duration jwtJwksCacheTtl;
    boolean jwtAnyIssuerAndAudience;
    String jwtIssuer;
    String jwtAudience;
    Duration jwtClockSkew;
    String redisUrl;
    boolean redisCluster;
    String redisNodeId;
    Duration redisNodeTimeout;
    int redisWaitReplicas;
    Duration redisWaitTimeout;
    Path storageDataDir;
    String storageUrl;
    String storageUser;
    String storagePassword;
    Integer storagePoolSize;
    Duration storageRetention;
    private final StorageConfig baseStorage;
    Duration supportOfferTimeout;
    Duration supportUnavailableAfter;
    Duration supportGrace;
    Integer supportDefaultCapacity;
    Integer supportMaxCapacity;
    Duration supportIdleTimeout;
    Duration supportTranscriptRetention;
    Map<String, List<CrisisResource>> crisisResources;
    Integer groupsDefaultCapacity;
    Duration groupsLobbyBefore;
    Duration groupsCloseGrace;
    Duration groupsReminderBefore;
    Duration groupsFloorTime;
    boolean webEnabled;
    String webSignInUrl;
    String managementHost;
    Integer managementPort;
    List<ManagementConfig.ApiKey> managementApiKeys;
    List<WebhookConfig.Endpoint> webhookEndpoints;
    String webhookSecret;
    Path webhookQueueDir;
    int webhookQueueSize;
    private final SupportConfig baseSupport;
    private final GroupConfig baseGroups;

    /** Directory that relative paths are resolved against: the configuration file's while reading it. */
    Path baseDirectory;

    private final Map<String, String> sources = new HashMap<>();

    Draft(KindredConfig base) {
        builder = base.toBuilder();
        baseSupport = base.support();
        baseGroups = base.groups();
        baseStorage = base.storage();
        base.tls().ifPresent(tls -> {
            tlsCertificateFile = tls.certificateFile();
            tlsPrivateKeyFile = tls.privateKeyFile();
        });
        JwtConfig jwt = base.jwt();
        jwtSecret = jwt.hs256Secret();
        jwtPublicKeyFile = jwt.rs256PublicKeyFile();
        jwtIssuer = jwt.issuer();
        jwtJwksUrl = jwt.jwksUrl();
        jwtMaxTokenAge = jwt.maxTokenAge();
        jwtJwksCacheTtl = jwt.jwksCacheTtl();
        jwtAudience = jwt.audience();
        jwtClockSkew = jwt.clockSkew();
        webEnabled = base.web().enabled();
        webSignInUrl = base.web().signInUrl().orElse(null);
        managementHost = base.management().host();
        managementPort = base.management().port();
        managementApiKeys = base.management().apiKeys();
        webhookEndpoints = base.webhooks().endpoints();
        webhookSecret = base.webhooks().secret();
        webhookQueueDir = base.webhooks().queueDir().orElse(null);
        webhookQueueSize = base.webhooks().queueSize();
        base.redis().ifPresent(redis -> {
            redisUrl = redis.url();
            redisCluster = redis.cluster();
            redisNodeId = redis.nodeId();
            redisNodeTimeout = redis.nodeTimeout();
            redisWaitReplicas = redis.waitReplicas();
            redisWaitTimeout = redis.waitTimeout();
        });
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
        JwtConfig jwt = new JwtConfig(
                jwtSecret,
                jwtPublicKeyFile,
                jwtJwksUrl,
                jwtIssuer,
                jwtAudience,
                jwtClockSkew,
                jwtMaxTokenAge,
                jwtJwksCacheTtl);
        RedisConfig redis = redisUrl == null
                ? null
                : new RedisConfig(
                        redisUrl, redisCluster, redisNodeId, redisNodeTimeout, redisWaitReplicas, redisWaitTimeout);
        SupportConfig support = new SupportConfig(
                or(supportOfferTimeout, baseSupport.offerTimeout()),
                or(supportUnavailableAfter, baseSupport.unavailableAfter()),
                or(supportGrace, baseSupport.mentorGrace()),
                or(supportDefaultCapacity, baseSupport.defaultCapacity()),
                or(supportMaxCapacity, baseSupport.maxCapacity()),
                or(supportIdleTimeout, baseSupport.idleTimeout()),
                or(supportTranscriptRetention, baseSupport.transcriptRetention()));
        GroupConfig groups = new GroupConfig(
                or(groupsDefaultCapacity, baseGroups.defaultCapacity()),
                or(groupsLobbyBefore, baseGroups.lobbyBefore()),
                or(groupsCloseGrace, baseGroups.closeGrace()),
                or(groupsReminderBefore, baseGroups.reminderBefore()),
                or(groupsFloorTime, baseGroups.floorTime()));
        if (crisisResources != null) {
            builder.crisisResources(crisisResources);
        }
        StorageConfig storage = new StorageConfig(
                or(storageDataDir, baseStorage.dataDir()),
                or(storageUrl, baseStorage.url()),
                or(storageUser, baseStorage.user()),
                or(storagePassword, baseStorage.password()),
                or(storagePoolSize, baseStorage.poolSize()),
                or(storageRetention, baseStorage.retention()));
        return builder.tls(tls)
                .storage(storage)
                .jwt(jwt)
                .redis(redis)
                .support(support)
                .groups(groups)
                .web(new WebConfig(webEnabled, java.util.Optional.ofNullable(webSignInUrl)))
                .management(new ManagementConfig(managementHost, managementPort, managementApiKeys))
                .webhooks(new WebhookConfig(
                        webhookEndpoints,
                        webhookSecret,
                        java.util.Optional.ofNullable(webhookQueueDir),
                        webhookQueueSize))
                .build();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
