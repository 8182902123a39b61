package org.kindred.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.kindred.server.auth.DevTokenIssuer;
import org.kindred.server.identity.Role;

/**
 * Serves {@code /healthz}, {@code /readyz}, {@code /metrics}, the development sign-in and the web app ({@link WebApp}),
 * checks the origin of WebSocket upgrades to {@code /ws} and passes them on to Netty's handshake handler.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends ChannelInboundHandlerAdapter {

    static final String WEBSOCKET_PATH = "/ws";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpEndpoints endpoints;
    private final ObjectMapper json = new ObjectMapper();

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
            case "/metrics" -> {
                if (get) {
                    respond(
                            ctx,
                            request,
                            HttpResponseStatus.OK,
                            PROMETHEUS,
                            endpoints.metrics().get());
                } else {
                    methodNotAllowed(ctx, request);
                }
            }
            case "/dev/token" -> devToken(ctx, request);
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
    private static void serveFile(ChannelHandlerContext ctx, FullHttpRequest request, WebApp.StaticFile file) {
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
        send(ctx, request, response);
    }

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
                        "expected a JSON object {\"pseudonym\": \"...\", \"role\": \"member\"}");
            }
            String pseudonym = body.path("pseudonym").asText(null);
            if (pseudonym == null) {
                throw new IllegalArgumentException("missing field 'pseudonym'");
            }
            String roleName = body.path("role").asText("member");
            Role role = Role.fromWire(roleName)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown role '" + roleName + "' (expected: member, mentor, facilitator or moderator)"));
            String token = issuer.issue(pseudonym, role);
            respond(ctx, request, HttpResponseStatus.OK, JSON, json.writeValueAsString(Map.of("token", token)));
        } catch (IOException e) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, JSON, error("body is not valid JSON"));
        } catch (IllegalArgumentException e) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, JSON, error(e.getMessage()));
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

    private boolean originAllowed(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        // Clients other than browsers send no Origin; the allow-list protects members' browsers from other sites.
        return origin == null
                || endpoints.allowedOrigins().isEmpty()
                || endpoints.allowedOrigins().contains(origin);
    }

    private void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest request) {
        respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, JSON, error("method not allowed"));
    }

    private String error(String message) {
        try {
            return json.writeValueAsString(Map.of("error", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            HttpResponseStatus status,
            String contentType,
            String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                status,
                request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (request.uri().startsWith("/dev/")) {
            // The dev sign-in is for local front-end work, often served from another port.
            response.headers()
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "content-type")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
        }
        send(ctx, request, response);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
