package org.kindred.server.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One setting that can come from the file or the environment: its file key, its environment variable and how its
 * text is parsed into the {@link Draft}. The table below is the single list of loadable settings; rooms are
 * file-only and read by {@link ConfigLoader} itself.
 *
 * @param key    the file key, dotted when nested ({@code "jwt.issuer"})
 * @param envVar the environment variable
 * @param list   whether the value is a list (a YAML sequence, or comma-separated text)
 * @param apply  parses the value into the draft; throws {@link IllegalArgumentException} with a message that quotes
 *               the value (never for the secret) and says what was expected
 */
record Setting(String key, String envVar, boolean list, BiConsumer<Draft, List<String>> apply) {

    static final List<Setting> ALL = List.of(
            text("host", (d, v) -> d.builder.host(v)),
            integer("port", (d, v) -> d.builder.port(v)),
            integer("maxFrameBytes", (d, v) -> d.builder.maxFrameBytes(v)),
            integer("maxTextLength", (d, v) -> d.builder.maxTextLength(v)),
            scalar("ratePerSecond", Setting::parseDouble, (d, v) -> d.builder.ratePerSecond(v)),
            integer("rateBurst", (d, v) -> d.builder.rateBurst(v)),
            integer("outboundHighWaterMark", (d, v) -> d.builder.outboundHighWaterMark(v)),
            integer("outboundLowWaterMark", (d, v) -> d.builder.outboundLowWaterMark(v)),
            duration("idleTimeout", (d, v) -> d.builder.idleTimeout(v)),
            duration("pingInterval", (d, v) -> d.builder.pingInterval(v)),
            duration("authTimeout", (d, v) -> d.builder.authTimeout(v)),
            integer("historySize", (d, v) -> d.builder.historySize(v)),
            duration("historyMaxAge", (d, v) -> d.builder.historyMaxAge(v)),
            integer("joinHistory", (d, v) -> d.builder.joinHistory(v)),
            integer("historyPageMax", (d, v) -> d.builder.historyPageMax(v)),
            integer("maxConnections", (d, v) -> d.builder.maxConnections(v)),
            integer("maxConnectionsPerUser", (d, v) -> d.builder.maxConnectionsPerUser(v)),
            integer("maxUnsignedPerAddress", (d, v) -> d.builder.maxUnsignedPerAddress(v)),
            duration("presenceGrace", (d, v) -> d.builder.presenceGrace(v)),
            duration("flushInterval", (d, v) -> d.builder.flushInterval(v)),
            duration("idempotencyWindow", (d, v) -> d.builder.idempotencyWindow(v)),
            duration("editWindow", (d, v) -> d.builder.editWindow(v)),
            new Setting("allowedOrigins", envVar("allowedOrigins"), true, (d, v) -> d.builder.allowedOrigins(v)),
            duration("shutdownGrace", (d, v) -> d.builder.shutdownGrace(v)),
            duration("auditRetention", (d, v) -> d.builder.auditRetention(v)),
            groupDuration("safety.escalateAfter", (d, v) -> d.builder.escalateAfter(v)),
            groupDuration("safety.escalateAgainAfter", (d, v) -> d.builder.escalateAgainAfter(v)),
            new Setting(
                    "safety.tellReporters",
                    envVar("safety_tellReporters"),
                    false,
                    (d, v) -> d.builder.tellReporters(parseBoolean(v.get(0).trim()))),
            duration("newMemberPeriod", (d, v) -> d.builder.newMemberPeriod(v)),
            scalar("newMemberRatePerSecond", Setting::parseDouble, (d, v) -> d.builder.newMemberRatePerSecond(v)),
            integer("newMemberRateBurst", (d, v) -> d.builder.newMemberRateBurst(v)),
            scalar("nativeTransport", Setting::parseBoolean, (d, v) -> d.builder.nativeTransport(v)),
            integer("eventLoops", (d, v) -> d.builder.eventLoops(v)),
            scalar("logFormat", LogFormat::parse, (d, v) -> d.builder.logFormat(v)),
            nested("tls.certificateFile", "KINDRED_TLS_CERT_FILE", (d, v) -> d.tlsCertificateFile = d.path(v)),
            nested("tls.privateKeyFile", "KINDRED_TLS_KEY_FILE", (d, v) -> d.tlsPrivateKeyFile = d.path(v)),
            // The secret is taken verbatim (no trim): whitespace may be part of it.
            new Setting("jwt.hs256Secret", "KINDRED_JWT_SECRET", false, (d, v) -> d.jwtSecret = v.get(0)),
            nested("jwt.rs256PublicKeyFile", "KINDRED_JWT_PUBLIC_KEY_FILE", (d, v) -> d.jwtPublicKeyFile = d.path(v)),
            nested("jwt.jwksUrl", "KINDRED_JWT_JWKS_URL", (d, v) -> d.jwtJwksUrl = v),
            nested("jwt.issuer", "KINDRED_JWT_ISSUER", (d, v) -> d.jwtIssuer = v),
            groupDuration("jwt.maxTokenAge", (d, v) -> d.jwtMaxTokenAge = v),
            groupDuration("jwt.jwksCacheTtl", (d, v) -> d.jwtJwksCacheTtl = v),
            new Setting(
                    "jwt.anyIssuerAndAudience",
                    "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE",
                    false,
                    (d, v) -> d.jwtAnyIssuerAndAudience = parseBoolean(v.get(0).trim())),
            nested("jwt.audience", "KINDRED_JWT_AUDIENCE", (d, v) -> d.jwtAudience = v),
            new Setting(
                    "jwt.clockSkew",
                    "KINDRED_JWT_CLOCK_SKEW",
                    false,
                    (d, v) -> d.jwtClockSkew = Durations.parse(v.get(0))),
            new Setting("devSecret", envVar("devSecret"), false, (d, v) -> d.builder.devSecret(v.get(0))),
            new Setting("userIdSecret", envVar("userIdSecret"), false, (d, v) -> d.builder.userIdSecret(v.get(0))),
            nested("redis.url", "KINDRED_REDIS_URL", (d, v) -> d.redisUrl = v),
            nested("storage.dataDir", "KINDRED_DATA_DIR", (d, v) -> d.storageDataDir = d.path(v)),
            nested("storage.url", "KINDRED_STORAGE_URL", (d, v) -> d.storageUrl = v),
            nested("storage.user", "KINDRED_STORAGE_USER", (d, v) -> d.storageUser = v),
            // The password is taken verbatim (no trim), like the JWT secret.
            new Setting("storage.password", "KINDRED_STORAGE_PASSWORD", false, (d, v) -> d.storagePassword = v.get(0)),
            groupInteger("storage.poolSize", (d, v) -> d.storagePoolSize = v),
            groupDuration("storage.retention", (d, v) -> d.storageRetention = v),
            groupDuration("support.offerTimeout", (d, v) -> d.supportOfferTimeout = v),
            groupDuration("support.unavailableAfter", (d, v) -> d.supportUnavailableAfter = v),
            groupDuration("support.grace", (d, v) -> d.supportGrace = v),
            groupInteger("support.defaultCapacity", (d, v) -> d.supportDefaultCapacity = v),
            groupInteger("support.maxCapacity", (d, v) -> d.supportMaxCapacity = v),
            groupDuration("support.idleTimeout", (d, v) -> d.supportIdleTimeout = v),
            groupDuration("support.transcriptRetention", (d, v) -> d.supportTranscriptRetention = v),
            new Setting(
                    "web.enabled",
                    envVar("web_enabled"),
                    false,
                    (d, v) -> d.webEnabled = parseBoolean(v.get(0).trim())),
            nested("management.host", envVar("management_host"), (d, v) -> d.managementHost = v),
            groupInteger("management.port", (d, v) -> d.managementPort = v),
            // Keys are taken verbatim and never echoed.
            new Setting(
                    "management.apiKeys",
                    envVar("management_apiKeys"),
                    true,
                    (d, v) -> d.managementApiKeys =
                            v.stream().map(ManagementConfig.ApiKey::parse).toList()),
            new Setting(
                    "webhooks.endpoints",
                    envVar("webhooks_endpoints"),
                    true,
                    (d, v) -> d.webhookEndpoints =
                            v.stream().map(WebhookConfig.Endpoint::parse).toList()),
            new Setting(
                    "webhooks.secret",
                    envVar("webhooks_secret"),
                    false,
                    (d, v) -> d.webhookSecret = v.get(0).trim()),
            nested("webhooks.queueDir", envVar("webhooks_queueDir"), (d, v) -> d.webhookQueueDir = d.path(v)),
            groupInteger("webhooks.queueSize", (d, v) -> d.webhookQueueSize = v),
            nested("web.signInUrl", envVar("web_signInUrl"), (d, v) -> d.webSignInUrl = v),
            groupInteger("groups.defaultCapacity", (d, v) -> d.groupsDefaultCapacity = v),
            groupDuration("groups.lobbyBefore", (d, v) -> d.groupsLobbyBefore = v),
            groupDuration("groups.closeGrace", (d, v) -> d.groupsCloseGrace = v),
            groupDuration("groups.reminderBefore", (d, v) -> d.groupsReminderBefore = v),
            groupDuration("groups.floorTime", (d, v) -> d.groupsFloorTime = v),
            groupInteger("presence.joinedListLimit", (d, v) -> d.builder.presenceJoinedListLimit(v)),
            groupInteger("presence.pageMax", (d, v) -> d.builder.presencePageMax(v)),
            groupInteger("presence.batchAbove", (d, v) -> d.builder.presenceBatchAbove(v)),
            groupDuration("presence.batchInterval", (d, v) -> d.builder.presenceBatchInterval(v)),
            new Setting(
                    "redis.cluster", "KINDRED_REDIS_CLUSTER", false, (d, v) -> d.redisCluster = parseBoolean(v.get(0))),
            nested("redis.nodeId", "KINDRED_NODE_ID", (d, v) -> d.redisNodeId = v),
            new Setting(
                    "redis.nodeTimeout",
                    "KINDRED_REDIS_NODE_TIMEOUT",
                    false,
                    (d, v) -> d.redisNodeTimeout = Durations.parse(v.get(0))),
            new Setting(
                    "redis.waitReplicas",
                    "KINDRED_REDIS_WAIT_REPLICAS",
                    false,
                    (d, v) -> d.redisWaitReplicas = parseInt(v.get(0))),
            new Setting(
                    "redis.waitTimeout",
                    "KINDRED_REDIS_WAIT_TIMEOUT",
                    false,
                    (d, v) -> d.redisWaitTimeout = Durations.parse(v.get(0))));

    private static final Map<String, Setting> BY_KEY =
            ALL.stream().collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));
    private static final Map<String, Setting> BY_ENV =
            ALL.stream().collect(Collectors.toUnmodifiableMap(Setting::envVar, Function.identity()));

    static Optional<Setting> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    static Optional<Setting> byEnvVar(String name) {
        return Optional.ofNullable(BY_ENV.get(name));
    }

    /** {@code KINDRED_} and the key in UPPER_SNAKE: {@code maxTextLength} becomes {@code KINDRED_MAX_TEXT_LENGTH}. */
    static String envVar(String key) {
        return "KINDRED_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** Splits comma-separated text, as lists are written in environment variables. */
    static List<String> splitList(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static Setting text(String key, BiConsumer<Draft, String> setter) {
        return scalar(key, Function.identity(), setter);
    }

    private static Setting integer(String key, BiConsumer<Draft, Integer> setter) {
        return scalar(key, Setting::parseInt, setter);
    }

    private static Setting duration(String key, BiConsumer<Draft, Duration> setter) {
        return scalar(key, Durations::parse, setter);
    }

    /** A setting of a group ({@code support.offerTimeout}): its variable is KINDRED_ + the whole key in UPPER_SNAKE. */
    private static Setting groupDuration(String key, BiConsumer<Draft, Duration> setter) {
        return new Setting(
                key, envVar(key.replace('.', '_')), false, (d, v) -> setter.accept(d, Durations.parse(v.get(0))));
    }

    private static Setting groupInteger(String key, BiConsumer<Draft, Integer> setter) {
        return new Setting(key, envVar(key.replace('.', '_')), false, (d, v) -> setter.accept(d, parseInt(v.get(0))));
    }

    private static Setting nested(String key, String envVar, BiConsumer<Draft, String> setter) {
        return new Setting(
                key, envVar, false, (d, v) -> setter.accept(d, v.get(0).trim()));
    }

    private static <T> Setting scalar(String key, Function<String, T> parser, BiConsumer<Draft, T> setter) {
        return new Setting(
                key,
                envVar(key),
                false,
                (d, v) -> setter.accept(d, parser.apply(v.get(0).trim())));
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
    }

    private static double parseDouble(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
    }

    private static boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }
}
