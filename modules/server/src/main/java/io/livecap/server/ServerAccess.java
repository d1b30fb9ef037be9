package io.livecap.server;

import io.livecap.auth.Authenticator;
import io.livecap.auth.Grant;
import io.livecap.auth.Role;
import io.livecap.auth.Verdict;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
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
 *   /healthz                                  open
 *   /metrics                                  open, or operator when auth.protect_metrics
 *   ws /v1/ingest/{id}                        ingest key, or a publish (ingest) token for {id}
 *   ws /v1/captions/{id}                      captions-read key, or a read (captions-read) token for {id}
 *   ws /v1/vosk                               ingest key
 *   /v1/streams, /v1/streams/{id}/...         operator (list, health, timing, pulls, channel strategy)
 *   /v1/cluster                               operator (nodes, heartbeats, leases)
 *   /v1/tokens, /v1/tokens/{id}               operator for stream tokens, admin for keys (TokenApi decides)
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

    ServerAccess(Authenticator authenticator, boolean protectMetrics) {
        this.authenticator = authenticator;
        this.protectMetrics = protectMetrics;
        authenticator.onRevoke(this::closeSocketsOf);
    }

    Authenticator authenticator() {
        return authenticator;
    }

    /** The verdict on one request; {@code grant()} is who asked (null for an open path or with auth off). */
    Verdict check(FullHttpRequest request, QueryStringDecoder uri) {
        String path = uri.path();
        if (path.equals("/healthz") || (path.equals("/metrics") && !protectMetrics)) {
            return Verdict.allow(null);
        }
        Matcher socket = SOCKET.matcher(path);
        Role needed;
        String stream = null;
        if (socket.matches()) {
            needed = socket.group(1).equals("ingest") ? Role.INGEST : Role.CAPTIONS_READ;
            stream = socket.group(2);
        } else if (path.equals("/v1/vosk")) {
            needed = Role.INGEST;
        } else if (path.equals("/metrics") || path.equals("/v1/streams") || path.startsWith("/v1/streams/")
                || path.equals("/v1/cluster")) {
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

    /** {@code Authorization: Bearer <secret>}, else {@code ?token=<secret>} (for clients that cannot set headers). */
    private static String secret(FullHttpRequest request, QueryStringDecoder uri) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).trim();
        }
        List<String> token = uri.parameters().get("token");
        return token == null || token.isEmpty() ? null : token.get(0);
    }
}
