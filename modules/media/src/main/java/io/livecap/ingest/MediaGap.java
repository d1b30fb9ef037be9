package io.livecap.ingest;

/**
 * Audio stopped and came back on a pulled source.
 *
 * @param atMs             stream audio (ms since its first sample) delivered before the gap: where it sits
 * @param expectedPts      the pts continuous audio would have had next
 * @param resumePts        the pts of the first sample after the gap (a restart or jump for the timing map to record)
 * @param lastAudioEpochMs when the last audio before the gap came out
 * @param resumeEpochMs    when the first audio after it came out
 * @param cause            why: a reconnect (and what ended the previous connection) or a pts jump
 */
public record MediaGap(long atMs, long expectedPts, long resumePts, long lastAudioEpochMs, long resumeEpochMs,
                       String cause) {

    /** How long no audio came, by the wall clock. */
    public long lengthMs() {
        return resumeEpochMs - lastAudioEpochMs;
    }
}
