package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.config.WebConfig;

/** The web app's files as the HTTP handler serves them: types, caching, revalidation, security headers. */
class WebAppTest {

    private static final String INDEX =
            "<!doctype html><script type=\"module\" src=\"./assets/index-3f9a1c.js\"></script>";
    private static final String SCRIPT = "console.log('kindred')";

    @TempDir
    Path root;

    private EmbeddedChannel channel;

    @AfterEach
    void noLeftovers() {
        assertFalse(channel.finish(), "a message was left in the channel");
    }

    /** A class path holding a built app, as the kindred-web jar does. */
    private ClassLoader appOnClasspath() throws IOException {
        Path web = Files.createDirectories(root.resolve("kindred/web/assets"));
        Files.writeString(web.resolve("index-3f9a1c.js"), SCRIPT);
        Files.writeString(web.getParent().resolve("index.html"), INDEX);
        Files.writeString(web.getParent().resolve("files.txt"), "assets/index-3f9a1c.js\nindex.html\n");
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    private void serve(WebConfig config, boolean devSignIn) throws IOException {
        Optional<WebApp> app = WebApp.fromClasspath(config, devSignIn, appOnClasspath());
        channel = new EmbeddedChannel(
                new HttpRequestHandler(new HttpEndpoints(() -> true, Optional.empty(), List.of(), app)));
    }

    private record Answer(HttpResponseStatus status, String body, io.netty.handler.codec.http.HttpHeaders headers) {}

    private Answer get(String uri, String ifNoneMatch) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        if (ifNoneMatch != null) {
            request.headers().set(HttpHeaderNames.IF_NONE_MATCH, ifNoneMatch);
        }
        return exchange(request);
    }

    private Answer exchange(FullHttpRequest request) {
        channel.writeInbound(request);
        assertThat(request.refCnt()).as("request released").isZero();
        FullHttpResponse response = channel.readOutbound();
        try {
            return new Answer(
                    response.status(), response.content().toString(StandardCharsets.UTF_8), response.headers());
        } finally {
            response.release();
        }
    }

    @Test
    void theAppIsServedAtTheRootWithAStrictContentSecurityPolicyAndRevalidated() throws IOException {
        serve(WebConfig.defaults(), true);

        Answer index = get("/", null);

        assertThat(index.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(index.body()).isEqualTo(INDEX);
        assertThat(index.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html; charset=utf-8");
        assertThat(index.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
        assertThat(index.headers().get(HttpHeaderNames.CONTENT_SECURITY_POLICY))
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
        assertThat(index.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(index.headers().get("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(get("/index.html", null).body()).isEqualTo(INDEX);
    }

    @Test
    void hashedAssetsAreCachedForAYearAsImmutable() throws IOException {
        serve(WebConfig.defaults(), true);

        Answer script = get("/assets/index-3f9a1c.js?v=1", null);

        assertThat(script.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(script.body()).isEqualTo(SCRIPT);
        assertThat(script.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/javascript; charset=utf-8");
        assertThat(script.headers().get(HttpHeaderNames.CACHE_CONTROL))
                .isEqualTo("public, max-age=31536000, immutable");
    }

    @Test
    void aBrowserHoldingTheCurrentVersionIsToldNotModifiedWithoutABody() throws IOException {
        serve(WebConfig.defaults(), true);
        String etag = get("/", null).headers().get(HttpHeaderNames.ETAG);

        Answer again = get("/", etag);

        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(again.status()).isEqualTo(HttpResponseStatus.NOT_MODIFIED);
        assertThat(again.body()).isEmpty();
        assertThat(get("/", "\"an-older-version\"").status()).isEqualTo(HttpResponseStatus.OK);
    }

    @Test
    void configJsonTellsTheAppHowThisNodeSignsPeopleIn() throws IOException {
        serve(WebConfig.defaults().withSignInUrl("https://id.example.org/sign-in?return={returnTo}"), false);

        Answer config = get("/config.json", null);

        assertThat(config.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(config.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(config.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
        assertThat(config.body())
                .isEqualTo("{\"devSignIn\":false,"
                        + "\"signInUrl\":\"https://id.example.org/sign-in?return={returnTo}\","
                        + "\"metricsUrl\":\"moderator/figures\"}");
    }

    @Test
    void onlyListedFilesAreServedAndNothingOutsideTheApp() throws IOException {
        serve(WebConfig.defaults(), true);

        assertThat(get("/files.txt", null).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(get("/assets/../index.html", null).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(get("/org/kindred/server/Main.class", null).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(get("/nothing-here", null).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void onlyGetAndHeadReadTheApp() throws IOException {
        serve(WebConfig.defaults(), true);

        Answer head = exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/"));
        Answer post = exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/"));

        assertThat(head.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(INDEX.length());
        assertThat(post.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    }

    @Test
    void anOperatorWhoTurnsTheAppOffGets404AtTheRootWhileTheOtherEndpointsStay() throws IOException {
        serve(WebConfig.disabled(), true);

        assertThat(get("/", null).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(get("/config.json", null).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(get("/healthz", null).status()).isEqualTo(HttpResponseStatus.OK);
    }
}
