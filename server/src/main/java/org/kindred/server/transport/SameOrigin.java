package org.kindred.server.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a browser's {@code Origin} names the server it is talking to: the same host and port as the request's
 * {@code Host} header. A page the node serves itself (the web app) is same-origin; a page of another site is not,
 * whatever it claims elsewhere. A proxy that rewrites {@code Host} makes every browser cross-origin: list the public
 * origin in {@code allowedOrigins} then.
 */
final class SameOrigin {

    private SameOrigin() {}

    static boolean matches(String origin, String hostHeader) {
        if (origin == null || hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
        if (defaultPort < 0 || uri.getHost() == null) {
            return false; // "null" (sandboxed frames, files) and other schemes are never the node's own pages
        }
        int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
        URI host;
        try {
            host = new URI(scheme + "://" + hostHeader.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        if (host.getHost() == null) {
            return false;
        }
        int hostPort = host.getPort() == -1 ? defaultPort : host.getPort();
        return host.getHost().equalsIgnoreCase(uri.getHost()) && hostPort == originPort;
    }
}
