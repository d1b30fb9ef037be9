package io.livecap.timing;

/**
 * The three clocks of one audio sample, as the caption contract names them.
 *
 * @param startMs    ms since the first sample livecap saw on the stream (counted in samples, so continuous)
 * @param startEpoch ms since the Unix epoch at which that sample's chunk arrived, plus its offset inside the chunk
 * @param startPts   the sample's pts in the source's own clock, wrapped as the source wraps it
 */
public record MediaTime(long startMs, long startEpoch, long startPts) {
}
