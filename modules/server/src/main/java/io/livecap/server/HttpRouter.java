package io.livecap.server;

import io.livecap.captions.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.ChannelStrategy;
import io.livecap.auth.Grant;
import io.livecap.auth.Verdict;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.PullSource;
import io.livecap.ingest.PullStatus;
import io.livecap.session.PullStream;
import io.livecap.session.Sessions;
import io.livecap.asr.WorkerPoolView;
import io.livecap.session.Leases;
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
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes each HTTP request: websocket upgrades to their endpoint, the small JSON API answered here. */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    private static final String ID = "([A-Za-z0-9._-]{1,128})";
    private static final Pattern SOCKET_PATH = Pattern.compile("^/v1/(ingest|captions)/" + ID + "$");
    private static final Pattern ALERT_ACK = Pattern.compile("^/v1/alerts/([A-Za-z0-9]{1,32})/ack$");
    private static final Pattern STREAM_PATH = Pattern.compile("^/v1/streams/" + ID + "(/health|/channel-strategy|/timing)?$");
    private static final Pattern VALID_ID = Pattern.compile(ID);
    private static final String RETRY_AFTER_SECONDS = "5";
    /** The HTTP decoder's limits (LivecapServer's pipeline), named in the 414 and 431 answers. */
    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEADERS = 8192;

    /** An answer to a plain HTTP request. */
    private record Reply(HttpResponseStatus status, Object body, String contentType) {
        static Reply json(HttpResponseStatus status, Object body) {
            return new Reply(status, body, "application/json");
        }

        static Reply error(HttpResponseStatus status, String message) {
            return json(status, Map.of("error", message));
        }
    }

    private final ServerContext context;
    private final StoredCaptionsApi stored; // null: no store to list or delete from
    private final ConsoleRoutes console;
    private final WorkerRole worker; // null: a full node

    HttpRouter(ServerContext context, StoredCaptionsApi stored, ConsoleRoutes console) {
        this(context, stored, console, null);
    }

    HttpRouter(ServerContext context, StoredCaptionsApi stored, ConsoleRoutes console, WorkerRole worker) {
        this.context = context;
        this.stored = stored;
        this.console = console;
        this.worker = worker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            refuseMalformed(ctx, request.decoderResult().cause());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        Verdict verdict = context.access().check(request, uri); // the one place credentials are checked
        if (worker != null && !WorkerRole.serves(path)) {
            respond(ctx, request, Reply.json(HttpResponseStatus.NOT_FOUND, worker.notServed(path)));
            return;
        }
        if (ConsoleRoutes.owns(path)) {
            console.serve(ctx, request, uri, verdict); // it answers a refusal itself: a browser gets the login
            return;
        }
        if (!verdict.allowed()) {
            respond(ctx, request, Reply.json(HttpResponseStatus.valueOf(verdict.status()),
                    Map.of("error", verdict.reason(), "code", verdict.code())));
            return;
        }
        Matcher socket = SOCKET_PATH.matcher(path);
        if (request.method() == HttpMethod.GET && (socket.matches() || path.equals("/v1/vosk"))) {
            openSocket(ctx, request, uri, socket, verdict.grant());
            return;
        }
        Reply reply;
        try {
            reply = path.equals("/v1/tokens") || path.startsWith("/v1/tokens/") ? tokens(request, path, verdict.grant())
                    : stored != null && StoredCaptionsApi.handles(request.method(), path) ? storedCaptions(request, uri)
                    : answer(request, path);
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.method(), path, e);
            reply = Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
        }
        respond(ctx, request, reply);
    }

    private Reply answer(FullHttpRequest request, String path) {
        HttpMethod method = request.method();
        if (path.equals("/v1/alerts") || path.startsWith("/v1/alerts/")) {
            return alerts(method, path);
        }
        Matcher stream = STREAM_PATH.matcher(path);
        if (stream.matches()) {
            StreamSession session = context.sessions().get(stream.group(1)).orElse(null);
            String part = stream.group(2) == null ? "" : stream.group(2);
            if (session == null) {
                PullStatus over = context.sessions().finishedPull(stream.group(1)).orElse(null);
                if (over != null && part.equals("/health") && method == HttpMethod.GET) {
                    return Reply.json(HttpResponseStatus.OK, Map.of("stream_id", stream.group(1), "live", false,
                            "pull", over.toJson()));
                }
                return notLive(stream.group(1), over);
            }
            return switch (part) {
                case "/health" -> method == HttpMethod.GET ? Reply.json(HttpResponseStatus.OK, health(session))
                        : notAllowed(method, "GET");
                case "/timing" -> method == HttpMethod.GET
                        ? Reply.json(HttpResponseStatus.OK, session.timingReport()) : notAllowed(method, "GET");
                case "/channel-strategy" -> method == HttpMethod.PUT ? setStrategy(session, request)
                        : notAllowed(method, "PUT");
                default -> method == HttpMethod.DELETE ? endStream(session) : notAllowed(method, "DELETE");
            };
        }
        if (path.equals("/v1/streams") && method == HttpMethod.POST) {
            return startPull(request);
        }
        if (method != HttpMethod.GET) {
            return path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics") || path.equals("/v1/streams")
                    || path.equals("/v1/cluster")
                    ? notAllowed(method, "GET") : Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
        }
        return switch (path) {
            case "/healthz" -> Reply.json(HttpResponseStatus.OK, health());
            case "/readyz" -> ready();
            case "/metrics" -> new Reply(HttpResponseStatus.OK, context.metrics().scrape(),
                    "text/plain; version=0.0.4; charset=utf-8");
            case "/v1/streams" -> Reply.json(HttpResponseStatus.OK, Map.of("streams", streams()));
            case "/v1/cluster" -> Reply.json(HttpResponseStatus.OK, cluster());
            case "/v1/worker" -> worker != null ? Reply.json(HttpResponseStatus.OK, worker.capacity())
                    : Reply.error(HttpResponseStatus.NOT_FOUND, "not an ASR worker: /v1/worker is served by"
                    + " `serve --role worker`");
            default -> path.startsWith("/v1/ingest/") || path.startsWith("/v1/captions/")
                    || path.startsWith("/v1/streams/")
                    ? Reply.error(HttpResponseStatus.BAD_REQUEST, "stream ids are 1-128 characters of A-Z a-z 0-9 . _ -")
                    : Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
        };
    }

    /**
     * {@code GET /readyz}: whether to send this node work (a load balancer's or Kubernetes' readiness): 200 while its
     * store takes its heartbeats and its leases are renewed, 503 with the reasons otherwise (store unreachable,
     * heartbeat lost, draining). {@code /healthz} stays liveness: the process serves.
     */
    private Reply ready() {
        List<String> reasons = context.sessions().leases().notReady();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", reasons.isEmpty());
        body.put("node", context.sessions().leases().nodeId());
        body.put("reasons", reasons);
        return Reply.json(reasons.isEmpty() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    /** {@code GET /v1/alerts}: active then recently cleared; {@code POST /v1/alerts/{id}/ack}: an operator saw it. */
    private Reply alerts(HttpMethod method, String path) {
        if (path.equals("/v1/alerts")) {
            return method == HttpMethod.GET ? Reply.json(HttpResponseStatus.OK, Map.of("alerts",
                    console.alerts().toJson())) : notAllowed(method, "GET");
        }
        Matcher ack = ALERT_ACK.matcher(path);
        if (!ack.matches()) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
        }
        if (method != HttpMethod.POST) {
            return notAllowed(method, "POST");
        }
        return console.alerts().acknowledge(ack.group(1))
                .map(a -> Reply.json(HttpResponseStatus.OK, a.toJson()))
                .orElseGet(() -> Reply.error(HttpResponseStatus.NOT_FOUND, "no active alert " + ack.group(1)));
    }

    private Reply tokens(FullHttpRequest request, String path, Grant caller) {
        TokenApi.Answer answer = new TokenApi(context.access().authenticator()).answer(request.method(), path,
                request.content().toString(StandardCharsets.UTF_8), caller);
        return Reply.json(answer.status(), answer.body());
    }

    private Reply storedCaptions(FullHttpRequest request, QueryStringDecoder uri) {
        StoredCaptionsApi.Answer answer = stored.answer(request.method(), uri.path(), uri.parameters());
        return Reply.json(answer.status(), answer.body());
    }

    /** {@code PUT /v1/streams/{id}/channel-strategy} with {@code {"strategy":"swap"}}: applied within one window. */
    private Reply setStrategy(StreamSession session, FullHttpRequest request) {
        String name;
        try {
            JsonNode body = Json.MAPPER.readTree(request.content().toString(StandardCharsets.UTF_8));
            name = body == null ? null : body.path("strategy").asText(null);
        } catch (IOException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, "body must be JSON like {\"strategy\":\"swap\"}");
        }
        if (name == null) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, "body must be JSON like {\"strategy\":\"swap\"}");
        }
        ChannelStrategy strategy;
        try {
            strategy = ChannelStrategy.parse(name);
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        log.info("stream {}: operator requests channel strategy {}", session.streamId(), strategy.wireName());
        session.requestStrategy(strategy);
        return Reply.json(HttpResponseStatus.ACCEPTED, session.health());
    }

    /** {@code POST /v1/streams} with {@code {"id":"ev42","url":"rtmp://...","key":"...","language":"en-US"}}. */
    private Reply startPull(FullHttpRequest request) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.hasNonNull("id") || !body.hasNonNull("url")) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST,
                    "body must be JSON like {\"id\":\"ev42\",\"url\":\"rtmp://host/app\",\"key\":\"...\",\"language\":\"en-US\"}");
        }
        String id = body.get("id").asText();
        if (!VALID_ID.matcher(id).matches()) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, "stream ids are 1-128 characters of A-Z a-z 0-9 . _ -");
        }
        try {
            PullSource source = PullSource.of(body.get("url").asText(), body.path("key").asText(null));
            ChannelStrategy strategy = body.hasNonNull("channel_strategy")
                    ? ChannelStrategy.parse(body.get("channel_strategy").asText()) : null;
            PullStream pull = context.sessions().openPull(id, source,
                    body.path("language").asText(context.defaultLanguage()), strategy);
            return Reply.json(HttpResponseStatus.CREATED, Map.of("stream_id", id, "source", source.toString(),
                    "pull", pull.status().toJson()));
        } catch (IngestError e) {
            return Reply.error(Sessions.SERVER_BUSY.equals(e.code()) ? HttpResponseStatus.SERVICE_UNAVAILABLE
                    : HttpResponseStatus.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * {@code DELETE /v1/streams/{id}}: a pull is stopped; a pushed session is ended (its ingest websocket gets eos
     * and closes 1000 "ended by operator"). Either way the captions of the audio received are finished, then eos.
     */
    private Reply endStream(StreamSession session) {
        String id = session.streamId();
        if (context.sessions().stopPull(id, "stopped by operator")) {
            return Reply.json(HttpResponseStatus.OK, Map.of("stream_id", id, "source", "pull", "state", "ending"));
        }
        Optional<IngestEndpoint> pushed = context.pushed().get(id);
        if (pushed.isEmpty()) {
            return Reply.error(HttpResponseStatus.CONFLICT, "stream " + id
                    + " has no ingest connection here to end (a /v1/vosk session ends with its connection)");
        }
        pushed.get().endByOperator();
        return Reply.json(HttpResponseStatus.OK, Map.of("stream_id", id, "source", "push", "state", "ending"));
    }

    /**
     * 404 for a stream that is not live, saying whether it ended ({@code "state":"ended"}, with its last seq and,
     * for a pull, how the pull ended) or is unknown here ({@code "state":"unknown"}).
     */
    private Reply notLive(String id, PullStatus pull) {
        long lastSeq = context.sessions().hub().store().lastSeq(id);
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ended = lastSeq > 0 || pull != null;
        body.put("error", "no live stream " + id + (ended ? ": it ended" + (lastSeq > 0 ? " (last seq " + lastSeq
                + "; replay its captions with ?from_seq=0)" : "") : "")
                + (pull == null ? "" : "; its pull is " + pull));
        body.put("stream_id", id);
        body.put("state", ended ? "ended" : "unknown");
        body.put("last_seq", lastSeq);
        if (pull != null) {
            body.put("pull", pull.toJson());
        }
        return Reply.json(HttpResponseStatus.NOT_FOUND, body);
    }

    private static Reply notAllowed(HttpMethod method, String allowed) {
        return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed here; use " + allowed);
    }

    private void openSocket(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri,
                            Matcher socket, Grant grant) {
        WebSocketEndpoint endpoint;
        if (!socket.matches()) {
            endpoint = new VoskEndpoint(context);
        } else if (socket.group(1).equals("ingest")) {
            endpoint = new IngestEndpoint(socket.group(2), context);
        } else {
            long fromSeq;
            try {
                List<String> values = uri.parameters().get("from_seq");
                fromSeq = values == null || values.isEmpty() ? -1 : Long.parseLong(values.get(0));
            } catch (NumberFormatException e) {
                respond(ctx, request, Reply.error(HttpResponseStatus.BAD_REQUEST, "from_seq must be an integer"));
                return;
            }
            endpoint = new CaptionEndpoint(context.sessions().hub(), socket.group(2), fromSeq, context);
        }
        upgrade(ctx, request, endpoint, grant);
    }

    /**
     * A request Netty could not parse is the client's mistake, answered with its status and closed (the rest of the
     * connection cannot be trusted to be framed): 414 a request line over the limit, 431 headers over it, else 400.
     */
    private static void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        String message = status == HttpResponseStatus.REQUEST_URI_TOO_LONG
                ? "request line longer than " + MAX_REQUEST_LINE + " bytes"
                : status == HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                ? "request headers larger than " + MAX_HEADERS + " bytes" : "malformed HTTP request";
        log.debug("http {}: {} ({})", ctx.channel().remoteAddress(), status, cause.toString());
        byte[] bytes = Json.write(Map.of("error", message)).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, bytes.length);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A peer that vanished, or one whose TLS handshake failed (it does not trust the certificate, or spoke garbage),
     * is not news; anything else reached here is our bug: logged with its stack, then closed.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            log.debug("http {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.info("TLS with {} failed: {}", ctx.channel().remoteAddress(), cause.getCause().getMessage());
        } else {
            log.warn("http {}: unexpected error, closing", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketEndpoint endpoint, Grant grant) {
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            respond(ctx, request, Reply.error(HttpResponseStatus.UPGRADE_REQUIRED, "this is a websocket endpoint"));
            return;
        }
        String url = (ctx.pipeline().get(SslHandler.class) == null ? "ws://" : "wss://")
                + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        // no extensions are negotiated, so a frame with RSV bits set is a protocol error (1002); the endpoint closes
        // itself after sending its error, hence no close from the decoder
        WebSocketDecoderConfig decoding = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(context.maxFrameBytes()).allowExtensions(false).withUTF8Validator(true)
                .closeOnProtocolViolation(false).build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, decoding)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        // the handshaker's decoder does not check text frames' UTF-8 itself: an invalid one is 1007
        ctx.pipeline().addAfter(ctx.name(), "ws-utf8", new Utf8FrameValidator(false));
        ctx.pipeline().addAfter("ws-utf8", "ws-aggregator", new WebSocketFrameAggregator(context.maxFrameBytes()));
        ctx.pipeline().addAfter("ws-aggregator", "ws-endpoint", endpoint);
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
                context.access().track(grant, ctx.channel());
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
        health.put("recognizers_open", context.sessions().recognizersOpen());
        health.put("uptime_s", Duration.between(context.startedAt(), Instant.now()).toSeconds());
        health.put("version", context.version());
        Map<String, Object> store = context.sessions().hub().store().health();
        if (!store.isEmpty()) {
            health.put("store", store); // a store outage, ridden out: when, how long, what was kept meanwhile
            if ("away".equals(store.get("status"))) {
                health.put("status", "degraded"); // still live (200): captions flow, their writes wait in memory
            }
        }
        if (worker != null) {
            health.putAll(worker.capacity()); // open, so a remote engine's probe needs no credential
        }
        return health;
    }

    /**
     * The processes on this store (nodes and ASR workers, each with its role, heartbeat, leases and load as of its
     * last heartbeat), every lease, and the remote engine's workers as this node sees them (none for other engines).
     */
    private Map<String, Object> cluster() {
        Leases.ClusterView view = context.sessions().leases().view();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Leases.NodeInfo n : view.nodes()) {
            List<String> held = view.leases().stream().filter(l -> l.owner().equals(n.nodeId()))
                    .map(Leases.LeaseInfo::resource).toList();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node_id", n.nodeId());
            row.put("role", n.role());
            row.put("address", n.address());
            row.put("started_at", n.startedAt().toString());
            row.put("heartbeat_at", n.heartbeatAt().toString());
            row.put("alive", n.alive());
            row.put("leases", held);
            Map<String, Object> load = new LinkedHashMap<>();
            load.put("live_streams", n.load().liveStreams());
            load.put("leases_held", held.size());
            if (Leases.WORKER.equals(n.role())) {
                load.put("open_sessions", n.load().openSessions());
                load.put("max_sessions", n.load().maxSessions()); // 0: no cap
            }
            row.put("load", load);
            nodes.add(row);
        }
        List<Map<String, Object>> leases = new ArrayList<>();
        for (Leases.LeaseInfo l : view.leases()) {
            leases.add(Map.of("resource", l.resource(), "owner", l.owner(), "expires_at", l.expiresAt().toString(),
                    "acquired_at", l.acquiredAt().toString(), "generation", l.generation()));
        }
        List<Map<String, Object>> workers = new ArrayList<>();
        context.sessions().engine().workerPool().ifPresent(pool -> {
            for (WorkerPoolView.WorkerState w : pool.workers()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("endpoint", w.endpoint());
                row.put("address", w.address());
                row.put("up", w.up());
                row.put("reason", w.reason());
                row.put("open_sessions", w.open());
                row.put("capacity", w.capacity()); // -1 not announced, 0 no cap
                row.put("ours", w.ours());
                row.put("load", Math.round(w.load() * 1000) / 1000.0);
                workers.add(row);
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", view.self());
        body.put("lease_ttl_ms", view.ttlMs());
        body.put("at", view.at().toString());
        body.put("nodes", nodes);
        body.put("leases", leases);
        body.put("workers", workers);
        return body;
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
            row.put("recognizer_open", s.recognizerOpen());
            row.put("sample_rate", s.format().sampleRate());
            row.put("channels", s.format().channels());
            row.put("language", s.format().language());
            Optional<PullStream> pull = context.sessions().pull(s.streamId());
            row.put("source", pull.isPresent() ? "pull" : "push");
            pull.ifPresent(p -> row.put("pull", p.status().toJson()));
            row.put("audio_health", s.health().state().wireName());
            row.put("channel_strategy", s.health().effective().wireName());
            list.add(row);
        }
        context.sessions().finishedPulls().forEach((id, status) -> {
            if (context.sessions().get(id).isEmpty()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("stream_id", id);
                row.put("state", "ended");
                row.put("source", "pull");
                row.put("pull", status.toJson());
                list.add(row);
            }
        });
        return list;
    }

    /** A session's audio health, and its pull's state when it is pulled. */
    private Map<String, Object> health(StreamSession session) {
        @SuppressWarnings("unchecked")
        Map<String, Object> health = new LinkedHashMap<>(Json.MAPPER.convertValue(session.health(), Map.class));
        context.sessions().pull(session.streamId()).ifPresent(p -> health.put("pull", p.status().toJson()));
        return health;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, Reply reply) {
        if (reply.status().code() >= 400) {
            // livecap_errors_total{code}: the JSON error's code where it has one, else the HTTP status
            Object code = reply.body() instanceof Map<?, ?> body ? body.get("code") : null;
            io.micrometer.core.instrument.Metrics.counter("livecap.errors", "code",
                    code == null ? "http_" + reply.status().code() : String.valueOf(code)).increment();
        }
        byte[] bytes = (reply.body() instanceof String text ? text : Json.write(reply.body()))
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        if (reply.status().equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS); // a cap was reached
        }
        HttpUtil.setContentLength(response, bytes.length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
