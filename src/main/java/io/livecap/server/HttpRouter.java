package io.livecap.server;

import io.livecap.session.Sessions;
import io.livecap.session.StreamSession;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
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
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes each HTTP request: websocket upgrades to their endpoint, the small JSON API answered here. */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    private static final Pattern STREAM_PATH = Pattern.compile("^/v1/(ingest|captions)/([A-Za-z0-9._-]{1,128})$");

    private final ServerContext context;

    HttpRouter(ServerContext context) {
        this.context = context;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (request.method() != HttpMethod.GET) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, error("only GET is served here"));
            return;
        }
        Matcher stream = STREAM_PATH.matcher(path);
        if (stream.matches()) {
            String streamId = stream.group(2);
            if (stream.group(1).equals("ingest")) {
                upgrade(ctx, request, new IngestEndpoint(streamId, context.sessions(), context.maxChunkBytes(),
                        context.defaultLanguage()));
            } else {
                long fromSeq;
                try {
                    fromSeq = Long.parseLong(first(uri, "from_seq", "-1"));
                } catch (NumberFormatException e) {
                    respond(ctx, request, HttpResponseStatus.BAD_REQUEST, error("from_seq must be an integer"));
                    return;
                }
                upgrade(ctx, request, new CaptionEndpoint(context.sessions().hub().feed(streamId), fromSeq));
            }
            return;
        }
        switch (path) {
            case "/v1/vosk" -> upgrade(ctx, request,
                    new VoskEndpoint(context.sessions().engine(), context.defaultLanguage()));
            case "/healthz" -> respond(ctx, request, HttpResponseStatus.OK, health());
            case "/v1/streams" -> respond(ctx, request, HttpResponseStatus.OK, Map.of("streams", streams()));
            default -> {
                if (path.startsWith("/v1/ingest/") || path.startsWith("/v1/captions/")) {
                    respond(ctx, request, HttpResponseStatus.BAD_REQUEST,
                            error("stream ids are 1-128 characters of A-Z a-z 0-9 . _ -"));
                } else {
                    respond(ctx, request, HttpResponseStatus.NOT_FOUND, error("no such resource: " + path));
                }
            }
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketEndpoint endpoint) {
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            respond(ctx, request, HttpResponseStatus.UPGRADE_REQUIRED, error("this is a websocket endpoint"));
            return;
        }
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, true,
                context.maxFrameBytes()).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ctx.pipeline().addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(context.maxFrameBytes()));
        ctx.pipeline().addAfter("ws-aggregator", "ws-endpoint", endpoint);
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
                endpoint.onOpen();
            } else {
                log.warn("websocket handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause());
                ctx.close();
            }
        });
    }

    private Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("engine", context.sessions().engine().name());
        health.put("streams", context.sessions().live().size());
        health.put("uptime_s", Duration.between(context.startedAt(), Instant.now()).toSeconds());
        health.put("version", context.version());
        return health;
    }

    private List<Map<String, Object>> streams() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (StreamSession s : context.sessions().live()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stream_id", s.streamId());
            row.put("state", s.state());
            row.put("started_at", s.startedAt().toString());
            row.put("audio_ms", s.audioMs());
            row.put("backlog_ms", s.backlogMs());
            row.put("sample_rate", s.format().sampleRate());
            row.put("channels", s.format().channels());
            row.put("language", s.format().language());
            list.add(row);
        }
        return list;
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    private static String first(QueryStringDecoder uri, String name, String fallback) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                Object body) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(response, bytes.length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
