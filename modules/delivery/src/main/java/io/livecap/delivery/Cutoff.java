package io.livecap.delivery;

import io.livecap.captions.Caption;

import java.time.Instant;

/**
 * Where the ordered slot ends ("captions stop when the ordered slot ends"): a caption whose audio starts at or after
 * {@code streamMs} (the contract's {@code start}) or {@code epochMs} (its {@code start_epoch}) is never sent.
 * Judged by the caption's own audio, not by when it is sent: words spoken inside the slot are owed even when an
 * outage delays them past its end.
 */
public record Cutoff(long streamMs, long epochMs) {

    public static final Cutoff NONE = new Cutoff(Long.MAX_VALUE, Long.MAX_VALUE);

    /** Nothing that starts {@code streamMs} or more into the stream. */
    public static Cutoff atStreamMs(long streamMs) {
        return new Cutoff(streamMs, Long.MAX_VALUE);
    }

    /** Nothing whose audio arrived at or after {@code end} (the slot's end, as Kaltura gives it). */
    public static Cutoff atEpoch(Instant end) {
        return new Cutoff(Long.MAX_VALUE, end.toEpochMilli());
    }

    public boolean excludes(Caption caption) {
        return caption.startMs() >= streamMs || caption.startEpoch() >= epochMs;
    }

    @Override
    public String toString() {
        if (equals(NONE)) {
            return "no cut-off";
        }
        return "cut-off at " + (streamMs == Long.MAX_VALUE ? "" : streamMs + " ms of stream")
                + (streamMs != Long.MAX_VALUE && epochMs != Long.MAX_VALUE ? " or " : "")
                + (epochMs == Long.MAX_VALUE ? "" : Instant.ofEpochMilli(epochMs).toString());
    }
}
