package io.livecap.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert as the console, {@code GET /v1/alerts} and the webhook show it.
 *
 * @param subject   what it is about: a stream id, or {@code region/task id} for REACH
 * @param clearedAt null while active
 */
public record Alert(String id, AlertKind kind, String subject, String message, Instant raisedAt, Instant clearedAt,
                    boolean acknowledged) {

    public boolean active() {
        return clearedAt == null;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("kind", kind.wireName());
        json.put("subject", subject);
        json.put("message", message);
        json.put("raised_at", raisedAt.toString());
        json.put("cleared_at", clearedAt == null ? null : clearedAt.toString());
        json.put("active", active());
        json.put("acknowledged", acknowledged);
        return json;
    }
}
