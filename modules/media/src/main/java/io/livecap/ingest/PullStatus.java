package io.livecap.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pull's state as the API, metrics and the REACH audit show it.
 *
 * @param lastError     the last error (key redacted), or empty while none happened
 * @param nextAttemptAt when the next attempt starts ({@code RETRYING} only), else null
 * @param attempts      connections tried since audio last flowed
 */
public record PullStatus(PullState state, Instant since, String lastError, Instant nextAttemptAt, int attempts) {

    public PullStatus {
        lastError = lastError == null ? "" : lastError;
    }

    static PullStatus connecting() {
        return new PullStatus(PullState.CONNECTING, Instant.now(), "", null, 0);
    }

    /** The JSON shape: {@code {"state":"retrying","since":...,"last_error":...,"next_attempt_at":...,"attempts":N}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", state.wireName());
        json.put("since", since.toString());
        if (!lastError.isEmpty()) {
            json.put("last_error", lastError);
        }
        if (nextAttemptAt != null) {
            json.put("next_attempt_at", nextAttemptAt.toString());
        }
        json.put("attempts", attempts);
        return json;
    }

    @Override
    public String toString() {
        return state.wireName() + (lastError.isEmpty() ? "" : " (" + lastError + ")")
                + (nextAttemptAt == null ? "" : ", next attempt at " + nextAttemptAt);
    }
}
