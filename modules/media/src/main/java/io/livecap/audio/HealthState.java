package io.livecap.audio;

import com.fasterxml.jackson.annotation.JsonValue;

/** What {@link AudioHealth} believes about a stream's channels. */
public enum HealthState {
    /** Not enough audio judged yet (the first 2 s of signal, or 10 s of silence). */
    UNKNOWN("unknown"),
    OK("ok"),
    /** One channel only: nothing to compare, the channel passes through. */
    MONO_SOURCE("mono_source"),
    /** Every channel below -50 dBFS for 10 s: captions stop because there is nothing to caption. */
    SILENCE("silence"),
    PHASE_INVERTED("phase_inverted"),
    LEFT_DEAD("left_dead"),
    RIGHT_DEAD("right_dead");

    private final String wireName;

    HealthState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
