package org.popbridge.proxy.metrics.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import org.popbridge.proxy.core.session.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one request and closes: GET /metrics, /health, /ready; 404 for any other path, 405
 * for any other method, 400 (414, 431) for what is not HTTP or too long. A request is logged
 * only at DEBUG, escaped: a scanner must not fill the log.
 */
final class ProbeRequests extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** The Prometheus text exposition format, version 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(ProbeRequests.class);

    private final EndpointContent content;

    ProbeRequests(EndpointContent content) {
        this.content = content;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            log.debug("metrics endpoint: not a request it takes ({})", cause.getClass().getSimpleName());
            answer(ctx, malformed(cause), "not a valid request\n");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        log.debug("metrics endpoint: {} {}", LogText.of(request.method().name()), LogText.of(path));
        if (!isKnown(path)) {
            answer(ctx, HttpResponseStatus.NOT_FOUND, "not found; try /metrics, /health or /ready\n");
            return;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            send(ctx, response);
            return;
        }
        switch (path) {
            case "/metrics" -> {
                FullHttpResponse response = response(HttpResponseStatus.OK, content.metrics().get());
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT);
                send(ctx, response);
            }
            case "/health" -> answer(ctx, content.live().getAsBoolean() ? HttpResponseStatus.OK
                    : HttpResponseStatus.SERVICE_UNAVAILABLE, content.live().getAsBoolean() ? "up\n" : "down\n");
            default -> {
                boolean ready = content.ready().getAsBoolean();
                answer(ctx, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        ready ? "ready\n" : "shutting down\n");
            }
        }
    }

    private static boolean isKnown(String path) {
        return path.equals("/metrics") || path.equals("/health") || path.equals("/ready");
    }

    private static HttpResponseStatus malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
    }

    private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        send(ctx, response(status, text));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String text) {
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** One request per connection: the answer says so and the connection closes after it. */
    private static void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("metrics endpoint: connection failed ({})", cause.getClass().getSimpleName());
        ctx.close();
    }
}
