package org.kindred.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing webhooks: signed events (Standard Webhooks) to the community's backend.
 *
 * @param endpoints where events go, each {@code name=URL}; none: no webhooks
 * @param secret    the signing secret, {@code whsec_} and base64 of 24 to 64 random bytes; required with endpoints
 * @param queueDir  where each endpoint's queue and dead letters are kept across restarts; empty: in memory only
 * @param queueSize events kept per endpoint while it fails; beyond it the oldest are dead-lettered
 */
public record WebhookConfig(List<Endpoint> endpoints, String secret, Optional<Path> queueDir, int queueSize) {

    public static final int DEFAULT_QUEUE_SIZE = 10_000;

    /** One receiver. */
    public record Endpoint(String name, URI url) {
        public static Endpoint parse(String entry) {
            int equals = entry == null ? -1 : entry.indexOf('=');
            String name = equals <= 0 ? "" : entry.substring(0, equals).trim();
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw ConfigException.about(
                        "webhooks.endpoints",
                        "webhooks.endpoints: '" + entry + "' (expected: name=https://backend.example.org/hooks)");
            }
            try {
                URI url = new URI(entry.substring(equals + 1).trim());
                if (("https".equals(url.getScheme()) || "http".equals(url.getScheme())) && url.getHost() != null) {
                    return new Endpoint(name, url);
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw ConfigException.about(
                    "webhooks.endpoints", "webhooks.endpoints: " + name + "'s URL is not an absolute http(s) URL");
        }
    }

    private static final WebhookConfig NONE = new WebhookConfig(List.of(), null, Optional.empty(), DEFAULT_QUEUE_SIZE);

    public WebhookConfig {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        queueDir = queueDir == null ? Optional.empty() : queueDir;
        if (endpoints.stream().map(Endpoint::name).distinct().count() != endpoints.size()) {
            throw ConfigException.about("webhooks.endpoints", "webhooks.endpoints: a name appears twice");
        }
        if (!endpoints.isEmpty()) {
            if (secret == null || !secret.startsWith("whsec_")) {
                throw ConfigException.about(
                        "webhooks.secret",
                        "webhooks.secret: " + (secret == null ? "not set" : "does not start with whsec_")
                                + " (expected: whsec_ and base64 of 24-64 random bytes, e.g. whsec_$(openssl rand -base64 32))");
            }
            int bytes;
            try {
                bytes = Base64.getDecoder().decode(secret.substring(6)).length;
            } catch (IllegalArgumentException e) {
                bytes = -1;
            }
            if (bytes < 24 || bytes > 64) {
                throw ConfigException.about(
                        "webhooks.secret", "webhooks.secret: not base64 of 24-64 bytes after whsec_");
            }
        }
        if (queueSize < 1 || queueSize > 1_000_000) {
            throw ConfigException.about(
                    "webhooks.queueSize", "webhooks.queueSize: " + queueSize + " (expected: 1-1000000)");
        }
    }

    public static WebhookConfig none() {
        return NONE;
    }

    /** The signing key: the secret's bytes after {@code whsec_}. */
    public byte[] key() {
        return Base64.getDecoder().decode(secret.substring(6));
    }

    @Override
    public String toString() {
        return "[endpoints="
                + endpoints.stream().map(e -> e.name() + "=" + e.url()).toList() + ", secret="
                + (secret == null ? "<none>" : "<set>") + ", queueDir="
                + queueDir.map(Path::toString).orElse("<memory>")
                + ", queueSize=" + queueSize + "]";
    }
}
