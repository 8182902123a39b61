package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kindred.server.auth.DevTokenIssuer;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;

/** The plain HTTP endpoints and the origin check of WebSocket upgrades, without a socket. */
class HttpRequestHandlerTest {

    private static final String ALLOWED_ORIGIN = "https://community.example.org";

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final DevTokenIssuer issuer = new DevTokenIssuer();
    private EmbeddedChannel channel = channel(Optional.of(issuer));

    private EmbeddedChannel channel(Optional<DevTokenIssuer> devTokens) {
        return new EmbeddedChannel(
                new HttpRequestHandler(new HttpEndpoints(ready::get, devTokens, List.of(ALLOWED_ORIGIN))));
    }

    @AfterEach
    void noLeftovers() {
        assertFalse(channel.finish(), "a message was left in the channel");
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    }

    private static FullHttpRequest post(String uri, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, uri, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        return request;
    }

    private static FullHttpRequest upgrade(String origin) {
        FullHttpRequest request = request(HttpMethod.GET, HttpRequestHandler.WEBSOCKET_PATH);
        request.headers()
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
                .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==");
        if (origin != null) {
            request.headers().set(HttpHeaderNames.ORIGIN, origin);
        }
        return request;
    }

    /** A response read off the channel, its buffer already released. */
    private record Answer(HttpResponseStatus status, String contentType, String body, FullHttpResponse response) {}

    /** Writes the request, checks that the handler released it and passed nothing on, and reads the one answer. */
    private Answer exchange(FullHttpRequest request) {
        channel.writeInbound(request);
        assertThat(request.refCnt()).as("request released").isZero();
        assertThat((Object) channel.readInbound()).as("request passed on").isNull();
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("response").isNotNull();
        assertThat((Object) channel.readOutbound()).as("a second response").isNull();
        try {
            return new Answer(
                    response.status(),
                    response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    response.content().toString(StandardCharsets.UTF_8),
                    response);
        } finally {
            response.release();
        }
    }

    @Test
    void healthzAnswersOkWithJson() {
        Answer answer = exchange(request(HttpMethod.GET, "/healthz"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(answer.response().headers().get(HttpHeaderNames.CACHE_CONTROL))
                .isEqualTo("no-store");
    }

    @Test
    void healthzIgnoresTheQueryString() {
        assertThat(exchange(request(HttpMethod.GET, "/healthz?probe=liveness")).status())
                .isEqualTo(HttpResponseStatus.OK);
    }

    @Test
    void headOnHealthzAnswersWithoutABodyButWithItsLength() {
        Answer answer = exchange(request(HttpMethod.HEAD, "/healthz"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.response().headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                .isEqualTo("{\"status\":\"ok\"}".length());
    }

    @Test
    void postToHealthzIsMethodNotAllowed() {
        Answer answer = exchange(post("/healthz", "{}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(answer.body()).contains("method not allowed");
    }

    @Test
    void readyzAnswersOkWhileTheNodeIsReady() {
        Answer answer = exchange(request(HttpMethod.GET, "/readyz"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.body()).contains("\"ready\"");
    }

    @Test
    void readyzAnswers503WhenTheNodeIsNotReady() {
        ready.set(false);

        Answer answer = exchange(request(HttpMethod.GET, "/readyz"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.body()).contains("not ready");
    }

    @Test
    void readyzAsksTheSupplierOnEveryRequest() {
        assertThat(exchange(request(HttpMethod.GET, "/readyz")).status()).isEqualTo(HttpResponseStatus.OK);
        ready.set(false);
        assertThat(exchange(request(HttpMethod.GET, "/readyz")).status())
                .isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void metricsAreNotServedOnTheChatPort() {
        assertThat(exchange(request(HttpMethod.GET, "/metrics")).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void devTokenIssuesATokenTheIssuersVerifierAccepts() throws Exception {
        Answer answer = exchange(post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"mentor\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.response().headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN))
                .isNull();
        String token = json.readTree(answer.body()).path("token").asText();
        Identity identity = issuer.verifier().verify(token);
        assertThat(identity.pseudonym()).isEqualTo("Robin");
        assertThat(identity.primaryRole()).isEqualTo(Role.MENTOR);
    }

    @Test
    void devTokenMakesAMemberWhenNoRoleIsGiven() throws Exception {
        Answer answer = exchange(post("/dev/token", "{\"pseudonym\":\"Robin\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        String token = json.readTree(answer.body()).path("token").asText();
        assertThat(issuer.verifier().verify(token).primaryRole()).isEqualTo(Role.MEMBER);
    }

    @Test
    void devTokenRefusesABodyThatIsNotJson() throws Exception {
        Answer answer = exchange(post("/dev/token", "{nope"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(answer)).isEqualTo("body is not valid JSON");
    }

    @Test
    void devTokenRefusesJsonThatIsNotAnObject() throws Exception {
        Answer answer = exchange(post("/dev/token", "[\"Robin\"]"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(answer)).startsWith("expected a JSON object");
    }

    @Test
    void devTokenRefusesAnEmptyBody() throws Exception {
        Answer answer = exchange(post("/dev/token", ""));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    }

    @Test
    void devTokenRefusesAMissingPseudonym() throws Exception {
        Answer answer = exchange(post("/dev/token", "{\"role\":\"member\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(answer)).isEqualTo("missing field 'pseudonym'");
    }

    @Test
    void devTokenRefusesAPseudonymTheIssuerRejects() throws Exception {
        Answer answer = exchange(post("/dev/token", "{\"pseudonym\":\"<script>\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(answer)).startsWith("pseudonym:");
    }

    @Test
    void devTokenRefusesAnUnknownRoleAndNamesTheKnownOnes() throws Exception {
        Answer answer = exchange(post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"admin\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(answer)).contains("unknown role 'admin'").contains("moderator");
    }

    @Test
    void devTokenSendsNoCorsHeaderToAnotherSite() {
        FullHttpRequest request = post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"moderator\"}");
        request.headers().set(HttpHeaderNames.ORIGIN, "https://evil.example.com");

        Answer answer = exchange(request);

        assertThat(answer.response().headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN))
                .isNull();
    }

    @Test
    void devTokenNamesAnAllowedOriginInItsCorsHeaderNeverAWildcard() {
        FullHttpRequest request = post("/dev/token", "{\"pseudonym\":\"Robin\"}");
        request.headers().set(HttpHeaderNames.ORIGIN, ALLOWED_ORIGIN);

        Answer answer = exchange(request);

        assertThat(answer.response().headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN))
                .isEqualTo(ALLOWED_ORIGIN);
    }

    @Test
    void twoSignInsWithOnePseudonymAreTwoUsers() throws Exception {
        String first = token(exchange(post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"member\"}")));
        String second = token(exchange(post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"moderator\"}")));

        Identity member = issuer.verifier().verify(first);
        Identity moderator = issuer.verifier().verify(second);
        assertThat(member.userId()).isNotEqualTo(moderator.userId()).startsWith("dev:");
        assertThat(member.pseudonym()).isEqualTo(moderator.pseudonym());
    }

    @Test
    void renewingADevTokenKeepsItsUser() throws Exception {
        String first = token(exchange(post("/dev/token", "{\"pseudonym\":\"Robin\",\"role\":\"mentor\"}")));

        String renewed = token(exchange(post("/dev/token", "{\"renew\":\"" + first + "\"}")));

        Identity before = issuer.verifier().verify(first);
        Identity after = issuer.verifier().verify(renewed);
        assertThat(after.userId()).isEqualTo(before.userId());
        assertThat(after.primaryRole()).isEqualTo(Role.MENTOR);
    }

    @Test
    void renewingSomethingThatIsNotADevTokenIsUnauthorized() throws Exception {
        Answer answer = exchange(post("/dev/token", "{\"renew\":\"not-a-token\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(error(answer)).startsWith("token_invalid");
    }

    private String token(Answer answer) throws Exception {
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        return json.readTree(answer.body()).path("token").asText();
    }

    @Test
    void devTokenAnswersAPreflightFromAnAllowedOriginWithCorsHeaders() {
        FullHttpRequest preflight = request(HttpMethod.OPTIONS, "/dev/token");
        preflight.headers().set(HttpHeaderNames.ORIGIN, ALLOWED_ORIGIN);
        Answer answer = exchange(preflight);

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.NO_CONTENT);
        assertThat(answer.response().headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS))
                .contains("POST");
        assertThat(answer.response().headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS))
                .contains("content-type");
    }

    @Test
    void devTokenRefusesAGet() {
        assertThat(exchange(request(HttpMethod.GET, "/dev/token")).status())
                .isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    }

    @Test
    void devTokenIsNotFoundWhenDevSignInIsOff() throws Exception {
        assertFalse(channel.finish());
        channel = channel(Optional.empty());

        Answer answer = exchange(post("/dev/token", "{\"pseudonym\":\"Robin\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(error(answer)).startsWith("dev sign-in is off");
        assertThat(answer.body()).doesNotContain("token\":");
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        Answer answer = exchange(request(HttpMethod.GET, "/admin"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(error(answer)).isEqualTo("no such endpoint");
    }

    @Test
    void pathsBelowTheWebSocketPathAreNotFoundRatherThanPassedOn() {
        FullHttpRequest request = request(HttpMethod.GET, "/ws/extra");
        request.headers().set(HttpHeaderNames.ORIGIN, "https://evil.example.com");

        assertThat(exchange(request).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void aRequestNettyCouldNotParseIsRefusedThenClosed() {
        FullHttpRequest request = request(HttpMethod.GET, "/healthz");
        request.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(
                new io.netty.handler.codec.http.TooLongHttpHeaderException("header too long")));

        Answer answer = exchange(request);

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aMalformedWebSocketUpgradeIsNotPassedOn() {
        FullHttpRequest request = upgrade(null);
        request.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new IllegalArgumentException("bad")));

        assertThat(exchange(request).status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    }

    @Test
    void aRequestWithoutKeepAliveIsAnsweredThenClosed() {
        FullHttpRequest request = request(HttpMethod.GET, "/healthz");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);

        Answer answer = exchange(request);

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.response().headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anHttp10RequestIsAnsweredThenClosed() {
        Answer answer = exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/healthz"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aKeepAliveRequestLeavesTheConnectionOpen() {
        exchange(request(HttpMethod.GET, "/healthz"));

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void webSocketUpgradeFromAnOriginNotOnTheAllowListIsForbiddenAndNotPassedOn() throws Exception {
        Answer answer = exchange(upgrade("https://evil.example.com"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(error(answer)).isEqualTo("origin not allowed");
    }

    @Test
    void webSocketUpgradeWithAQueryStringIsStillOriginChecked() {
        FullHttpRequest request = upgrade("https://evil.example.com");
        request.setUri("/ws?room=diabetes");

        assertThat(exchange(request).status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    }

    @Test
    void webSocketUpgradeFromAnAllowedOriginIsPassedOnUntouched() {
        assertPassedOn(upgrade(ALLOWED_ORIGIN));
    }

    @Test
    void webSocketUpgradeWithoutAnOriginIsPassedOn() {
        assertPassedOn(upgrade(null));
    }

    @Test
    void webSocketUpgradeFromAnotherSiteIsForbiddenWhenTheAllowListIsEmpty() {
        assertFalse(channel.finish());
        channel =
                new EmbeddedChannel(new HttpRequestHandler(new HttpEndpoints(ready::get, Optional.empty(), List.of())));

        assertThat(exchange(upgrade("https://anywhere.example.net")).status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    }

    @Test
    void webSocketUpgradeFromTheNodesOwnPagesIsPassedOn() {
        assertFalse(channel.finish());
        channel =
                new EmbeddedChannel(new HttpRequestHandler(new HttpEndpoints(ready::get, Optional.empty(), List.of())));
        FullHttpRequest request = upgrade("http://chat.example.org:8080");
        request.headers().set(HttpHeaderNames.HOST, "chat.example.org:8080");

        assertPassedOn(request);
    }

    @Test
    void webSocketUpgradeFromTheSameHostOnAnotherPortIsForbidden() {
        FullHttpRequest request = upgrade("http://chat.example.org:9999");
        request.headers().set(HttpHeaderNames.HOST, "chat.example.org:8080");

        assertThat(exchange(request).status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    }

    @Test
    void webSocketUpgradeOverHttpsOnTheDefaultPortIsSameOrigin() {
        FullHttpRequest request = upgrade("https://chat.example.org");
        request.headers().set(HttpHeaderNames.HOST, "chat.example.org");

        assertPassedOn(request);
    }

    @Test
    void messagesOtherThanHttpRequestsArePassedOn() {
        Object frame = new TextWebSocketFrame("{\"type\":\"ping\"}");

        channel.writeInbound(frame);

        TextWebSocketFrame passed = channel.readInbound();
        assertThat(passed).isSameAs(frame);
        assertThat(passed.release()).isTrue();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    private void assertPassedOn(FullHttpRequest request) {
        channel.writeInbound(request);

        assertThat((Object) channel.readOutbound()).as("an answer").isNull();
        FullHttpRequest passed = channel.readInbound();
        assertThat(passed).isSameAs(request);
        assertThat(passed.refCnt()).as("still owned by the next handler").isEqualTo(1);
        assertThat(passed.release()).isTrue();
    }

    private String error(Answer answer) throws Exception {
        JsonNode body = json.readTree(answer.body());
        return body.path("error").asText();
    }
}
