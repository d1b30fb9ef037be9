package io.livecap.audio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream's audio health as the operator API shows it ({@code GET /v1/streams/{id}/health}). Immutable; safe to
 * read from any thread.
 *
 * @param lastWindowEndMs end of the last judged window on the stream's {@code start} clock; -1 before the first
 * @param levels          that window's numbers; null before the first
 * @param recentEvents    the latest events, oldest first (bounded)
 * @param eventCounts     events since the stream began, by {@link HealthEvent#kind()}
 */
@JsonPropertyOrder({"stream_id", "channels", "state", "dc_offset", "requested", "effective", "last_window_end",
        "levels", "recent_events", "event_counts"})
public record HealthSnapshot(@JsonProperty("stream_id") String streamId,
                             @JsonProperty("channels") int channels,
                             @JsonProperty("state") HealthState state,
                             @JsonProperty("dc_offset") boolean dcOffset,
                             @JsonProperty("requested") ChannelStrategy requested,
                             @JsonProperty("effective") ChannelStrategy effective,
                             @JsonProperty("last_window_end") long lastWindowEndMs,
                             @JsonProperty("levels") WindowLevels levels,
                             @JsonProperty("recent_events") List<HealthEvent> recentEvents,
                             @JsonProperty("event_counts") Map<String, Long> eventCounts) {

    public HealthSnapshot {
        recentEvents = List.copyOf(recentEvents);
        eventCounts = Collections.unmodifiableMap(new TreeMap<>(eventCounts));
    }

    /** Events of {@code kind} so far (0 when none). */
    public long count(HealthEvent.Kind kind) {
        return eventCounts.getOrDefault(kind.wireName(), 0L);
    }
}
