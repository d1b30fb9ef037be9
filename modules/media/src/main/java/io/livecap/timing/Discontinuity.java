package io.livecap.timing;

/**
 * A chunk whose pts is not where the previous chunk's audio said it would be: a jump, a gap or a reset.
 *
 * @param atMs          stream time (ms) of the first sample after the break
 * @param expectedPts   the pts continuous audio would have had
 * @param actualPts     the pts the source sent
 * @param jumpTicks     actualPts - expectedPts, unwrapped, in timescale units (negative: the clock went back)
 */
public record Discontinuity(long atMs, long expectedPts, long actualPts, long jumpTicks) {

    public double jumpSeconds(long timescale) {
        return (double) jumpTicks / timescale;
    }
}
