package org.kindred.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kindred.server.api.ServerApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes the management listener's requests: {@code /metrics}, {@code /readyz} with details, {@code /healthz}. */
@ChannelHandler.Sharable
final class ManagementHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementHandler.class);
    private static final String JSON = HttpResponses.JSON;

    private final ManagementEndpoints endpoints;
    private final HttpResponses responses = new HttpResponses();

    ManagementHandler(ManagementEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            HttpUtil.setKeepAlive(request, false);
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, JSON, error("malformed HTTP request"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.startsWith(ServerApi.PREFIX + "/") && endpoints.api().isPresent()) {
            api(ctx, request, uri);
            return;
        }
        boolean get =
                request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        switch (path) {
            case "/metrics" -> {
                if (get) {
                    respond(
                            ctx,
                            request,
                            HttpResponseStatus.OK,
                            HttpResponses.PROMETHEUS,
                            endpoints.metrics().get());
                } else {
                    methodNotAllowed(ctx, request);
                }
            }
            case "/healthz" -> {
                if (get) {
                    respond(ctx, request, HttpResponseStatus.OK, JSON, "{\"status\":\"ok\"}");
                } else {
                    methodNotAllowed(ctx, request);
                }
            }
            case "/readyz" -> {
                if (get) {
                    readiness(ctx, request);
                } else {
                    methodNotAllowed(ctx, request);
                }
            }
            default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, JSON, error("no such endpoint"));
        }
    }

    /** A server API call: answered when the API completes, from whichever thread completes it. */
    private void api(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        String body = request.content().toString(StandardCharsets.UTF_8);
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        FullHttpRequest head = request.replace(Unpooled.EMPTY_BUFFER); // kept past this read, without the body
        var unused = endpoints
                .api()
                .orElseThrow()
                .handle(request.method().name(), uri.path(), uri.parameters(), authorization, body)
                .whenComplete((answer, error) -> {
                    try {
                        if (error != null) {
                            LOG.warn("server API call failed: {}", error.toString());
                            respond(ctx, head, HttpResponseStatus.INTERNAL_SERVER_ERROR, JSON, error("internal error"));
                        } else {
                            respond(ctx, head, HttpResponseStatus.valueOf(answer.status()), JSON, answer.json());
                        }
                    } finally {
                        head.release();
                    }
                });
    }

    /** {@code /readyz} with what it is made of: for operators and their dashboards, not for the public. */
    private void readiness(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean ready = endpoints.ready().getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not ready");
        body.putAll(endpoints.details().get());
        respond(
                ctx,
                request,
                ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                JSON,
                responses.write(body));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof ReadTimeoutException)) {
            LOG.debug("management connection failed: {}", cause.toString());
        }
        ctx.close().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest request) {
        respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, JSON, error("method not allowed"));
    }

    private void respond(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            HttpResponseStatus status,
            String contentType,
            String body) {
        responses.respond(ctx, request, status, contentType, body);
    }

    private String error(String message) {
        return responses.error(message);
    }
}
