package io.livecap.timing;

/**
 * A stretch of the stream's timeline with no audio: a source that reconnected, or a new source for the same stream
 * id. {@code start} moves on by {@link #lengthMs}, so captions after it keep their distance from those before.
 *
 * @param atMs        timeline ms where the audio stopped
 * @param lengthMs    how far the timeline moved on: the pts delta when the source's clock continued, else the wall clock
 * @param wallMs      how long no audio arrived, by the arrival times on either side
 * @param expectedPts the pts continuous audio would have had
 * @param resumePts   the pts of the first sample after the gap
 * @param measure     which clock gave {@code lengthMs}
 * @param cause       why there was a gap
 */
public record TimelineGap(long atMs, long lengthMs, long wallMs, long expectedPts, long resumePts, Measure measure,
                          String cause) {

    public enum Measure {
        /** the source's pts continued across the gap: they say how much media was missed */
        PTS,
        /** the pts were reset or unrelated: the time nothing arrived is all there is */
        WALL_CLOCK
    }
}
