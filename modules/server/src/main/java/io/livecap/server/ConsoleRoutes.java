package io.livecap.server;

import io.livecap.auth.Verdict;
import io.livecap.captions.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The operator console's HTTP side: its files (from the jar), the login that trades a key for a cookie, the
 * server-sent event stream its pages listen to, and {@code GET /v1/tasks}. Everything else it does goes through the
 * documented REST API.
 */
final class ConsoleRoutes {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConsoleRoutes.class);

    private static final String FILES = "/io/livecap/console/";
    /** {@code POST /v1/tasks/{region}/{id}/retry-delivery}. */
    private static final Pattern RETRY_DELIVERY = Pattern.compile("^/v1/tasks/([A-Za-z0-9_-]{1,32})/([0-9]{1,18})/retry-delivery$");
    private static final Pattern FILE_NAME = Pattern.compile("^/console/([a-z0-9-]+\\.(html|js|css|svg))$");
    /** The stream page's meters want two updates a second at least; lists change more slowly. */
    static final long STREAM_PUSH_MS = 250;
    static final long LIST_PUSH_MS = 500;

    private final ConsoleWatch watch;
    private final ConsoleLogins logins;

    ConsoleRoutes(ConsoleWatch watch, ConsoleLogins logins) {
        this.watch = watch;
        this.logins = logins;
    }

    io.livecap.alerts.AlertBoard alerts() {
        return watch.alerts();
    }

    /** The paths answered here. */
    static boolean owns(String path) {
        return path.equals("/") || path.startsWith("/console/") || path.equals("/v1/console/events")
                || path.equals("/v1/tasks") || path.startsWith("/v1/tasks/");
    }

    void serve(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Verdict verdict) {
        String path = uri.path();
        if (path.equals("/console/login") && request.method() == HttpMethod.POST) {
            login(ctx, request);
            return;
        }
        if (path.equals("/console/logout") && request.method() == HttpMethod.POST) {
            logins.logout(ConsoleLogins.sessionId(request.headers().get(HttpHeaderNames.COOKIE)));
            redirect(ctx, "/console/login.html", ConsoleLogins.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            return;
        }
        var retry = RETRY_DELIVERY.matcher(path);
        if (retry.matches() || path.startsWith("/v1/tasks/")) {
            if (!verdict.allowed()) {
                send(ctx, json(HttpResponseStatus.valueOf(verdict.status()),
                        Map.of("error", verdict.reason(), "code", verdict.code())));
            } else if (!retry.matches()) {
                send(ctx, json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such resource: " + path
                        + " (POST /v1/tasks/{region}/{id}/retry-delivery)")));
            } else if (request.method() != HttpMethod.POST) {
                send(ctx, json(HttpResponseStatus.METHOD_NOT_ALLOWED, Map.of("error", request.method()
                        + " is not allowed here; use POST")));
            } else {
                TaskBoard.Answer answer = watch.tasks().retryDelivery(retry.group(1), Long.parseLong(retry.group(2)));
                send(ctx, json(HttpResponseStatus.valueOf(answer.status()), answer.body()));
            }
            return;
        }
        if (request.method() != HttpMethod.GET) {
            send(ctx, json(HttpResponseStatus.METHOD_NOT_ALLOWED, Map.of("error", request.method()
                    + " is not allowed here; use GET")));
            return;
        }
        if (!verdict.allowed()) {
            // a person at a browser gets the login form; a script gets the API's JSON refusal
            if (path.equals("/")) {
                redirect(ctx, "/console/login.html", null);
            } else {
                send(ctx, json(HttpResponseStatus.valueOf(verdict.status()),
                        Map.of("error", verdict.reason(), "code", verdict.code())));
            }
            return;
        }
        switch (path) {
            case "/" -> send(ctx, file("index.html"));
            case "/v1/tasks" -> send(ctx, json(HttpResponseStatus.OK, Map.of("tasks", watch.tasks().tasks())));
            case "/v1/console/events" -> events(ctx, uri);
            default -> {
                var name = FILE_NAME.matcher(path);
                send(ctx, name.matches() ? file(name.group(1))
                        : json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such resource: " + path)));
            }
        }
    }

    private void login(ChannelHandlerContext ctx, FullHttpRequest request) {
        String body = request.content().toString(StandardCharsets.UTF_8);
        List<String> key = new QueryStringDecoder("?" + body).parameters().get("key");
        StringBuilder id = new StringBuilder();
        Verdict verdict = logins.login(key == null || key.isEmpty() ? null : key.get(0).trim(), id);
        if (!verdict.allowed()) {
            redirect(ctx, "/console/login.html?refused=" + verdict.code(), null);
            return;
        }
        boolean tls = ctx.pipeline().get(SslHandler.class) != null;
        redirect(ctx, "/", ConsoleLogins.COOKIE + "=" + id + "; Path=/; Max-Age=" + ConsoleLogins.LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
    }

    /**
     * {@code GET /v1/console/events?view=streams|stream|tasks[&id=...]}: server-sent events, one {@code snapshot}
     * (the view's JSON) every {@link #LIST_PUSH_MS} ({@link #STREAM_PUSH_MS} for one stream), until the browser goes.
     */
    private void events(ChannelHandlerContext ctx, QueryStringDecoder uri) {
        String view = param(uri, "view", "streams");
        String id = param(uri, "id", "");
        Supplier<Object> snapshot = switch (view) {
            case "stream" -> () -> watch.stream(id).<Object>map(m -> m).orElse(Map.of("error", "no stream " + id));
            case "tasks" -> () -> withAlerts("tasks", watch.tasks().tasks());
            default -> () -> withAlerts("streams", watch.streams());
        };
        // an event stream is read by nobody upstream: the idle timeout must not close it for not sending
        if (ctx.pipeline().get("idle") != null) {
            ctx.pipeline().remove("idle");
            ctx.pipeline().remove("idle-closer");
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        long every = view.equals("stream") ? STREAM_PUSH_MS : LIST_PUSH_MS;
        ScheduledFuture<?> pushes = ctx.executor().scheduleAtFixedRate(() -> {
            if (!ctx.channel().isWritable()) {
                return; // a browser that does not keep up skips snapshots rather than queueing them
            }
            String data;
            try {
                data = "event: snapshot\ndata: " + Json.write(snapshot.get()) + "\n\n";
            } catch (RuntimeException e) {
                // a failing view must not end the schedule (an exception would cancel it for good)
                log.warn("console: building the {} view failed", view, e);
                return;
            }
            ByteBuf bytes = Unpooled.copiedBuffer(data, StandardCharsets.UTF_8);
            ctx.writeAndFlush(new DefaultHttpContent(bytes));
        }, 0, every, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(closed -> pushes.cancel(false));
    }

    /** The view's list first, then the node's alerts (active first, then the recently cleared). */
    private Map<String, Object> withAlerts(String name, Object list) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put(name, list);
        view.put("alerts", watch.alerts().toJson());
        return view;
    }

    private static String param(QueryStringDecoder uri, String name, String otherwise) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    private static FullHttpResponse file(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(FILES + name)) {
            if (in == null) {
                return json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such resource: /console/" + name));
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(in.readAllBytes()));
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            // everything the pages use comes from here: no other origin may run script or be framed in
            response.headers().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            response.headers().set("X-Content-Type-Options", "nosniff");
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(Json.write(body), StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return response;
    }

    private static void redirect(ChannelHandlerContext ctx, String location, String cookie) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SEE_OTHER,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        if (cookie != null) {
            response.headers().set(HttpHeaderNames.SET_COOKIE, cookie);
        }
        send(ctx, response);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        ctx.writeAndFlush(response);
    }
}
