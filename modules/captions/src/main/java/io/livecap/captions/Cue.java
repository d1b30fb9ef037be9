package io.livecap.captions;

import java.util.List;

/**
 * One timed block of a subtitle file: the lines shown from {@code startMs} to {@code endMs}, in ms of the recording.
 */
public record Cue(long startMs, long endMs, List<String> lines) {

    /**
     * The shortest cue livecap delivers, and the shortest the validator accepts. Kaltura's vendor FAQ names a 1 ms SRT
     * block as an error without giving a floor; 200 ms is our line: about the shortest flash a viewer registers.
     */
    public static final long MIN_DURATION_MS = 200;

    public Cue {
        lines = List.copyOf(lines);
    }

    public long durationMs() {
        return endMs - startMs;
    }
}
