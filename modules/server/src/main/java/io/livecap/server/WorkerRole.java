package io.livecap.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An ASR worker ({@code serve --role worker}): it serves {@code /v1/vosk} for nodes' {@code remote} engines and only
 * what watching it needs. Its capacity is the {@code /v1/vosk} cap, announced on {@code /healthz} and
 * {@code GET /v1/worker} so a remote engine can place a session on the least loaded worker.
 */
final class WorkerRole {

    private static final Set<String> SERVED = Set.of("/v1/vosk", "/healthz", "/metrics", "/v1/worker");

    private final ServerContext context;

    WorkerRole(ServerContext context) {
        this.context = context;
    }

    static boolean serves(String path) {
        return SERVED.contains(path);
    }

    /** The 404 body for everything else: it names the role, so nobody hunts for a missing stream. */
    Map<String, Object> notServed(String path) {
        return Map.of("error", "no such resource on an ASR worker: " + path + "; a worker (serve --role worker)"
                + " serves only /v1/vosk, /healthz, /metrics and /v1/worker", "code", "worker_role", "role", "worker");
    }

    /** role, engine, max_sessions (0 = no cap), open_sessions, free_sessions (-1 = no cap). */
    Map<String, Object> capacity() {
        Map<String, Object> body = new LinkedHashMap<>();
        int max = context.limits().maxVoskSessions();
        int open = context.voskCap().open();
        body.put("role", "worker");
        body.put("engine", context.sessions().engine().name());
        body.put("max_sessions", max);
        body.put("open_sessions", open);
        body.put("free_sessions", max == 0 ? -1 : Math.max(0, max - open));
        return body;
    }
}
