package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kindred.server.testing.TestNode;

/** The real app, from the kindred-web jar on the server's class path, over a real socket. */
class WebAppIT {

    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theNodeServesTheBuiltAppAndItsAssetsBesideItsOtherEndpoints() throws Exception {
        HttpResponse<String> index = node.get("/");

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-security-policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
        assertThat(index.body()).doesNotContain("<script>").contains("<div id=\"app\">");
        Matcher script = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(index.body());
        assertThat(script.find()).as("index.html loads a hashed script").isTrue();

        HttpResponse<String> asset = node.get("/" + script.group(1));
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(asset.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");

        assertThat(node.get("/config.json").body()).contains("\"devSignIn\":true");
        assertThat(node.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(node.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(node.get("/metrics").statusCode()).isEqualTo(404);
        assertThat(node.management("/metrics").statusCode()).isEqualTo(200);
    }
}
