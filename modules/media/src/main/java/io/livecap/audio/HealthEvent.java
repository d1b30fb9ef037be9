package io.livecap.audio;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * One change in a stream's audio health, as logged, counted and sent to caption subscribers
 * ({@code {"type":"audio_health",...}}).
 *
 * @param time     wall-clock time the window that decided it was judged
 * @param startMs  end of that window on the stream's {@code start} clock (ms since its first sample), so the event
 *                 lines up with the captions around it
 * @param kind     the counter it adds to: a {@link HealthState} wire name for a change of state, or
 *                 {@link #DC_OFFSET}, {@link #DC_OFFSET_CLEARED}, {@link #STRATEGY}
 * @param state    the stream's state after the event
 * @param requested the strategy asked for (by configuration or an operator)
 * @param action   the strategy in force after the event: what the recogniser now hears
 * @param levels   the numbers of the deciding window (the cause)
 * @param message  one line a partner understands: what was found, the numbers, what livecap does about it
 */
@JsonPropertyOrder({"type", "stream_id", "time", "start", "kind", "state", "dc_offset", "requested", "action",
        "levels", "message"})
public record HealthEvent(@JsonProperty("stream_id") String streamId,
                          @JsonIgnore Instant time,
                          @JsonProperty("start") long startMs,
                          @JsonProperty("kind") Kind kind,
                          @JsonProperty("state") HealthState state,
                          @JsonProperty("dc_offset") boolean dcOffset,
                          @JsonProperty("requested") ChannelStrategy requested,
                          @JsonProperty("action") ChannelStrategy action,
                          @JsonProperty("levels") WindowLevels levels,
                          @JsonProperty("message") String message) {

    /** What happened: the stream entered a {@link HealthState}, its DC offset came or went, or a strategy was asked. */
    public enum Kind {
        UNKNOWN, OK, MONO_SOURCE, SILENCE, PHASE_INVERTED, LEFT_DEAD, RIGHT_DEAD,
        DC_OFFSET, DC_OFFSET_CLEARED,
        /** An operator (or the API) changed the requested strategy. */
        STRATEGY;

        /** The stream entered {@code state}. */
        public static Kind of(HealthState state) {
            return valueOf(state.name());
        }

        /** As in messages, metrics and the health API: {@code phase_inverted}, {@code dc_offset}, ... */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return wireName();
        }
    }

    /** The same event at another {@code start}: the session places it on the stream id's timeline. */
    public HealthEvent at(long startMs) {
        return new HealthEvent(streamId, time, startMs, kind, state, dcOffset, requested, action, levels, message);
    }

    @JsonProperty("type")
    public String type() {
        return "audio_health";
    }

    /** ISO-8601, so the JSON needs no date module. */
    @JsonProperty("time")
    public String timeText() {
        return time.toString();
    }
}
