package org.kindred.server.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.kindred.server.config.WebConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web app's static files, read once from the class path (the {@code kindred-web} jar puts them under
 * {@value #ROOT}, listed in {@value #LISTING}) and held in memory: a few hundred kilobytes, served without touching
 * the disk and without any path ever reaching a file system. Also the app's {@code config.json}, which tells it how
 * this node signs people in.
 *
 * <p>Caching: the bundler names every asset after a hash of its content ({@code assets/index-3f9a1c.js}), so those are
 * cached for a year as immutable; {@code index.html} and {@code config.json} are revalidated on every load (ETag), so
 * a new release reaches browsers at once.
 */
public final class WebApp {

    static final String ROOT = "kindred/web/";
    static final String LISTING = ROOT + "files.txt";
    static final String CONFIG_PATH = "/config.json";

    /**
     * No inline script or style, nothing from another origin: scripts, styles, fonts and images come from the node,
     * the WebSocket and the metrics read from it too. No frames, no plug-ins, no form posts elsewhere.
     */
    static final String CONTENT_SECURITY_POLICY = String.join(
            "; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** One file as served: its bytes, type, cache policy and strong ETag. */
    record StaticFile(byte[] bytes, String contentType, String cacheControl, String etag) {

        static StaticFile of(String path, byte[] bytes) {
            String cache = path.startsWith("/assets/") ? IMMUTABLE : REVALIDATE;
            return new StaticFile(bytes, contentTypeOf(path), cache, etagOf(bytes));
        }
    }

    private final Map<String, StaticFile> files;

    private WebApp(Map<String, StaticFile> files) {
        this.files = Map.copyOf(files);
    }

    /**
     * The app as this build carries it, with the {@code config.json} for this node; empty when the configuration turns
     * the app off. A build without the app's files (a server built on its own) serves only {@code config.json}, and
     * says so once at start-up.
     */
    public static Optional<WebApp> fromClasspath(WebConfig config, boolean devSignIn, ClassLoader loader) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Map<String, StaticFile> files = new HashMap<>();
        for (String name : listing(loader)) {
            String path = "/" + name;
            files.put(path, StaticFile.of(path, read(loader, ROOT + name)));
        }
        if (files.containsKey("/index.html")) {
            files.put("/", files.get("/index.html"));
        } else {
            LOG.warn("the web app is not part of this build ({} is missing): / answers 404", LISTING);
        }
        byte[] clientConfig = clientConfig(config, devSignIn).getBytes(StandardCharsets.UTF_8);
        files.put(CONFIG_PATH, StaticFile.of(CONFIG_PATH, clientConfig));
        return Optional.of(new WebApp(files));
    }

    /** The file served at this path (the request's path, without query), if any. */
    Optional<StaticFile> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /**
     * What the app needs to know about this node, beside the WebSocket, which it finds next to itself ({@code ws}
     * resolved against the page's address): whether the development sign-in runs, where the identity provider is,
     * and where this node's metrics are.
     */
    static String clientConfig(WebConfig config, boolean devSignIn) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("devSignIn", devSignIn);
        fields.put("signInUrl", config.signInUrl().orElse(null));
        fields.put("metricsUrl", "moderator/figures");
        try {
            return new ObjectMapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of text and booleans is always JSON", e);
        }
    }

    private static List<String> listing(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(LISTING)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LISTING, e);
        }
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(LISTING + " lists " + resource + ", which is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String contentTypeOf(String path) {
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static String etagOf(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
