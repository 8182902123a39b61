package org.kindred.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The web app the node serves at {@code /}: whether it does, and where the app sends a browser to sign in when the
 * node verifies real tokens.
 *
 * @param enabled   whether the node serves the web app ({@code /}, its assets and {@code /config.json}); an operator
 *                  who serves the app elsewhere, or not at all, turns it off. Default {@code true}
 * @param signInUrl the identity provider's sign-in page, an absolute {@code https} (or {@code http}) URL, to which the
 *                  app sends a browser that has no token when a JWT key is configured; the provider sends the browser
 *                  back with the token in the URL fragment ({@code #token=...}). {@code {returnTo}} in it is replaced
 *                  by the app's address. Empty (the default): the app asks the member to use the link its community
 *                  gave it
 */
public record WebConfig(boolean enabled, Optional<String> signInUrl) {

    /** Replaced by the app's address in {@link #signInUrl()}. */
    public static final String RETURN_TO = "{returnTo}";

    private static final WebConfig DEFAULTS = new WebConfig(true, Optional.empty());

    public WebConfig {
        if (signInUrl == null) {
            signInUrl = Optional.empty();
        }
        signInUrl = signInUrl.map(WebConfig::checkedUrl);
    }

    /** The web app on, no identity provider: the embedded default. */
    public static WebConfig defaults() {
        return DEFAULTS;
    }

    /** The web app off: {@code /} answers 404, as every unknown path does. */
    public static WebConfig disabled() {
        return new WebConfig(false, Optional.empty());
    }

    /** A copy that sends browsers without a token to this sign-in page. */
    public WebConfig withSignInUrl(String url) {
        return new WebConfig(enabled, Optional.of(url));
    }

    private static String checkedUrl(String url) {
        try {
            // The placeholder is not URI syntax; check the URL as it will be used.
            URI uri = new URI(url.trim().replace(RETURN_TO, "x"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return url.trim();
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ConfigException.about(
                "web.signInUrl",
                "web.signInUrl: '" + url
                        + "' (expected: an absolute http(s) URL, e.g. https://id.example.org/sign-in)");
    }

    @Override
    public String toString() {
        return "[enabled=" + enabled + ", signInUrl=" + signInUrl.orElse("<none>") + "]";
    }
}
