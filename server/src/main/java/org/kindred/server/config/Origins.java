package org.kindred.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks allowed-origin entries: they are compared with the browser's {@code Origin} header, so the form is strict. */
final class Origins {

    private Origins() {}

    /**
     * Returns the origin in the form browsers send ({@code scheme://host[:port]}, lower case), or throws. A trailing
     * slash or a path would never match an {@code Origin} header, so it is refused rather than silently ignored.
     */
    static String normalize(String origin) {
        if (origin == null) {
            throw invalid(null);
        }
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            throw invalid(origin);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = uri.getHost() != null
                && uri.getRawUserInfo() == null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
        if (!(scheme.equals("https") || scheme.equals("http")) || !bare) {
            throw invalid(origin);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    private static ConfigException invalid(String origin) {
        return ConfigException.about(
                "allowedOrigins",
                "allowedOrigins: " + (origin == null ? "null" : "'" + origin + "'")
                        + " (expected: http(s)://host[:port] without path or trailing slash, e.g. https://app.example.org)");
    }
}
