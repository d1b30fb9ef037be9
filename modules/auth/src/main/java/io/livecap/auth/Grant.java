package io.livecap.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one credential grants: a role, on every stream ({@code streamId} null: an API key) or on one stream (a
 * stream token: {@link Role#INGEST} = publish, {@link Role#CAPTIONS_READ} = read). Never holds the secret.
 */
public record Grant(String id, Role role, String streamId, String label, Instant createdAt) {

    public boolean isStreamToken() {
        return streamId != null;
    }

    /** Whether this grant may act as {@code needed} on {@code stream} (null: an action on no one stream). */
    public boolean permits(Role needed, String stream) {
        if (role == Role.ADMIN) {
            return true;
        }
        return role == needed && (streamId == null || streamId.equals(stream));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("kind", isStreamToken() ? "stream_token" : "key");
        json.put("role", role.wireName());
        if (streamId != null) {
            json.put("stream_id", streamId);
        }
        if (label != null) {
            json.put("label", label);
        }
        json.put("created_at", createdAt.toString());
        return json;
    }
}
