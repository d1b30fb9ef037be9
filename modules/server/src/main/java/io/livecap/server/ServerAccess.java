package io.livecap.server;

import io.livecap.auth.Authenticator;
import io.livecap.auth.Grant;
import io.livecap.auth.Role;
import io.livecap.auth.Verdict;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.livecap.captions.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may reach what: the one check every request passes before it is routed, and the websockets each credential
 * opened, so revoking it closes them (1008). The role each path needs is decided here, in one table:
 * <pre>
 *   /healthz, /readyz                         open
 *   /metrics                                  open, or operator when auth.protect_metrics
 *   ws /v1/ingest/{id}                        ingest key, or a publish (ingest) token for {id}
 *   ws /v1/captions/{id}                      captions-read key, or a read (captions-read) token for {id}
 *   GET /v1/captions                          operator (the stored streams: which ids exist is not a reader's
 *                                             business; a captions-read credential reads the streams it is given)
 *   DELETE /v1/captions/{id}                  admin (removes a stream's stored captions for good)
 *   ws /v1/vosk                               ingest key
 *   /v1/streams, /v1/streams/{id}/...         operator (list, health, timing, pulls, channel strategy, end)
 *   /v1/cluster                               operator (nodes, heartbeats, leases)
 *   /v1/tokens, /v1/tokens/{id}               operator for stream tokens, admin for keys (TokenApi decides)
 *   /, /v1/console/events, /v1/tasks          operator (the console; without a credential / sends to the login)
 *   POST /v1/tasks/{region}/{id}/retry-delivery  operator (restarts a task's captionUrl push)
 *   /console/...                              open (the console's files and its login form)
 *   anything else                             any valid credential (then 404)
 * </pre>
 * Admin passes everywhere.
 */
final class ServerAccess {

    private static final Logger log = LoggerFactory.getLogger(ServerAccess.class);
    private static final Pattern SOCKET = Pattern.compile("^/v1/(ingest|captions)/([A-Za-z0-9._-]{1,128})$");
    private static final String BEARER = "bearer ";

    private final Authenticator authenticator;
    private final boolean protectMetrics;
    private final Map<String, Set<Channel>> socketsByGrant = new ConcurrentHashMap<>();
    private final ConsoleLogins logins;

    ServerAccess(Authenticator authenticator, boolean protectMetrics) {
        this.authenticator = authenticator;
        this.protectMetrics = protectMetrics;
        this.logins = new ConsoleLogins(authenticator);
        authenticator.onRevoke(this::closeSocketsOf);
    }

    Authenticator authenticator() {
        return authenticator;
    }

    ConsoleLogins logins() {
        return logins;
    }

    /** The verdict on one request; {@code grant()} is who asked (null for an open path or with auth off). */
    Verdict check(FullHttpRequest request, QueryStringDecoder uri) {
        String path = uri.path();
        if (path.equals("/healthz") || path.equals("/readyz") || (path.equals("/metrics") && !protectMetrics) || path.startsWith("/console/")) {
            return Verdict.allow(null);
        }
        Matcher socket = SOCKET.matcher(path);
        Role needed;
        String stream = null;
        if (socket.matches() && request.method() == HttpMethod.DELETE && socket.group(1).equals("captions")) {
            needed = Role.ADMIN;
        } else if (socket.matches()) {
            needed = socket.group(1).equals("ingest") ? Role.INGEST : Role.CAPTIONS_READ;
            stream = socket.group(2);
        } else if (path.equals("/v1/vosk")) {
            needed = Role.INGEST;
        } else if (path.equals("/metrics") || path.equals("/v1/captions") || path.equals("/v1/streams")
                || path.startsWith("/v1/streams/") || path.equals("/") || path.startsWith("/v1/console/")
                || path.equals("/v1/tasks") || path.startsWith("/v1/tasks/") || path.equals("/v1/cluster")
                || path.equals("/v1/alerts") || path.startsWith("/v1/alerts/")) {
            needed = Role.OPERATOR;
        } else {
            needed = null; // /v1/tokens refines by what is asked; unknown paths need only a valid credential
        }
        return authenticator.check(secret(request, uri), needed, stream);
    }

    /** Remembers a websocket opened with {@code grant}, until it closes. */
    void track(Grant grant, Channel channel) {
        if (grant == null) {
            return;
        }
        socketsByGrant.computeIfAbsent(grant.id(), id -> ConcurrentHashMap.newKeySet()).add(channel);
        channel.closeFuture().addListener(closed -> {
            Set<Channel> open = socketsByGrant.get(grant.id());
            if (open != null) {
                open.remove(channel);
            }
        });
    }

    private void closeSocketsOf(String grantId) {
        Set<Channel> open = socketsByGrant.remove(grantId);
        if (open == null) {
            return;
        }
        log.info("credential {} revoked: closing its {} open websocket(s)", grantId, open.size());
        String error = Json.write(Map.of("type", "error", "code", "revoked", "message",
                "the credential this connection used was revoked"));
        for (Channel channel : open) {
            channel.write(new TextWebSocketFrame(error));
            channel.writeAndFlush(new CloseWebSocketFrame(1008, "credential revoked"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * {@code Authorization: Bearer <secret>}, else {@code ?token=<secret>} (for clients that cannot set headers),
     * else the key behind a console login's cookie.
     */
    private String secret(FullHttpRequest request, QueryStringDecoder uri) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).trim();
        }
        List<String> token = uri.parameters().get("token");
        if (token != null && !token.isEmpty()) {
            return token.get(0);
        }
        return logins.secret(ConsoleLogins.sessionId(request.headers().get(HttpHeaderNames.COOKIE))).orElse(null);
    }
}
