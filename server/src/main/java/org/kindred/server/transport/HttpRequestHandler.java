package org.kindred.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.auth.DevTokenIssuer;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Role;

/**
 * Serves the chat port's HTTP: {@code /healthz}, {@code /readyz}, the development sign-in and the web app ({@link WebApp}),
 * checks the origin of WebSocket upgrades to {@code /ws} and passes them on to Netty's handshake handler.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends ChannelInboundHandlerAdapter {

    static final String WEBSOCKET_PATH = "/ws";
    private static final String JSON = HttpResponses.JSON;

    private final HttpEndpoints endpoints;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpResponses responses = new HttpResponses();

    HttpRequestHandler(HttpEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            malformed(ctx, request);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(WEBSOCKET_PATH)) {
            if (!originAllowed(request)) {
                respond(ctx, request, HttpResponseStatus.FORBIDDEN, JSON, error("origin not allowed"));
                request.release();
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            route(ctx, request, path);
        } finally {
            request.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        boolean get =
                request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        switch (path) {
            case "/healthz" -> {
                if (get) {
                    respond(ctx, request, HttpResponseStatus.OK, JSON, "{\"status\":\"ok\"}");
                } else {
                    methodNotAllowed(ctx, request);
                }
            }
            case "/readyz" -> {
                if (!get) {
                    methodNotAllowed(ctx, request);
                } else if (endpoints.ready().getAsBoolean()) {
                    respond(ctx, request, HttpResponseStatus.OK, JSON, "{\"status\":\"ready\"}");
                } else {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, "{\"status\":\"not ready\"}");
                }
            }
            case "/dev/token" -> devToken(ctx, request);
            case "/moderator/figures" -> {
                if (get) {
                    figures(ctx, request);
                } else {
                    methodNotAllowed(ctx, request);
                }
            }
            default -> {
                Optional<WebApp.StaticFile> file = endpoints.webApp().flatMap(app -> app.file(path));
                if (file.isEmpty()) {
                    respond(ctx, request, HttpResponseStatus.NOT_FOUND, JSON, error("no such endpoint"));
                } else if (get) {
                    serveFile(ctx, request, file.get());
                } else {
                    methodNotAllowed(ctx, request);
                }
            }
        }
    }

    /** A file of the web app, with its cache policy, ETag revalidation and the app's security headers. */
    private void serveFile(ChannelHandlerContext ctx, FullHttpRequest request, WebApp.StaticFile file) {
        boolean unchanged = file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        boolean withBody = !unchanged && !request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                withBody ? Unpooled.wrappedBuffer(file.bytes()) : Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, file.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, unchanged ? 0 : file.bytes().length)
                .set(HttpHeaderNames.CACHE_CONTROL, file.cacheControl())
                .set(HttpHeaderNames.ETAG, file.etag())
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, WebApp.CONTENT_SECURITY_POLICY)
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set("Referrer-Policy", "no-referrer")
                .set("Cross-Origin-Opener-Policy", "same-origin")
                .set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
        responses.send(ctx, request, response);
    }

    /**
     * {@code POST /dev/token}: {@code {"pseudonym": "Robin", "role": "member"}} signs in a new user;
     * {@code {"renew": "<token>"}} renews the user of a valid dev token. Browsers of other origins get no CORS
     * header unless their origin is in {@code allowedOrigins}.
     */
    private void devToken(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (endpoints.devTokens().isEmpty()) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.NOT_FOUND,
                    JSON,
                    error("dev sign-in is off: this node verifies tokens signed with a configured key"));
            return;
        }
        if (request.method().equals(HttpMethod.OPTIONS)) {
            respond(ctx, request, HttpResponseStatus.NO_CONTENT, JSON, "");
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            methodNotAllowed(ctx, request);
            return;
        }
        DevTokenIssuer issuer = endpoints.devTokens().get();
        try {
            JsonNode body = json.readTree(request.content().toString(StandardCharsets.UTF_8));
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException(
                        "expected a JSON object {\"pseudonym\": \"...\", \"role\": \"member\"} or {\"renew\": \"<token>\"}");
            }
            String token;
            if (body.has("renew")) {
                token = issuer.renew(body.path("renew").asText(""));
            } else {
                String pseudonym = body.path("pseudonym").asText(null);
                if (pseudonym == null) {
                    throw new IllegalArgumentException("missing field 'pseudonym'");
                }
                String roleName = body.path("role").asText("member");
                Role role = Role.fromWire(roleName)
                        .orElseThrow(() -> new IllegalArgumentException("unknown role '" + roleName
                                + "' (expected: member, mentor, facilitator or moderator)"));
                token = issuer.signIn(pseudonym, role);
            }
            respond(ctx, request, HttpResponseStatus.OK, JSON, responses.write(Map.of("token", token)));
        } catch (IOException e) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, JSON, error("body is not valid JSON"));
        } catch (IllegalArgumentException e) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, JSON, error(e.getMessage()));
        } catch (Refusal e) {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.UNAUTHORIZED,
                    JSON,
                    error(e.code().wire() + ": " + e.getMessage()));
        }
    }

    /** The moderators' live figures: a few metrics, for a moderator's bearer token only. */
    private void figures(ChannelHandlerContext ctx, FullHttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        try {
            respond(
                    ctx,
                    request,
                    HttpResponseStatus.OK,
                    HttpResponses.PROMETHEUS,
                    endpoints.figures().figuresFor(token));
        } catch (Refusal e) {
            HttpResponseStatus status =
                    e.code() == ErrorCode.FORBIDDEN ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.UNAUTHORIZED;
            respond(ctx, request, status, JSON, error(e.code().wire() + ": " + e.getMessage()));
        }
    }

    /** A request Netty could not parse: answer, then close, since the decoder discards whatever follows. */
    private void malformed(ChannelHandlerContext ctx, FullHttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : cause instanceof TooLongHttpLineException
                        ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : HttpResponseStatus.BAD_REQUEST;
        HttpUtil.setKeepAlive(request, false);
        try {
            respond(ctx, request, status, JSON, error("malformed HTTP request"));
        } finally {
            request.release();
        }
    }

    /**
     * Browsers send {@code Origin} with every WebSocket upgrade: one from the node's own pages (the same host and port
     * as the request's {@code Host}) or from {@code allowedOrigins} may connect. Clients other than browsers send no
     * {@code Origin}; the check protects members' browsers from other sites, which could otherwise act with their
     * tokens.
     */
    private boolean originAllowed(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        return origin == null
                || listedOrigin(origin)
                || SameOrigin.matches(origin, request.headers().get(HttpHeaderNames.HOST));
    }

    private boolean listedOrigin(String origin) {
        return endpoints.allowedOrigins().contains(origin.toLowerCase(Locale.ROOT));
    }

    private void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest request) {
        respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, JSON, error("method not allowed"));
    }

    private String error(String message) {
        return responses.error(message);
    }

    private void respond(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            HttpResponseStatus status,
            String contentType,
            String body) {
        FullHttpResponse response = responses.response(request, status, contentType, body);
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (request.uri().startsWith("/dev/") && origin != null && listedOrigin(origin)) {
            // A front end served from another origin (a dev server on another port) is let in by name, never "*".
            response.headers()
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "content-type")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
        }
        responses.send(ctx, request, response);
    }
}
