package io.livecap.timing;

/**
 * Where a source left its stream's timeline: what the stream's next source (a reconnect, a restarted pull, a
 * livecap restart) continues from.
 *
 * @param endMs              timeline ms just after the last audio
 * @param lastArrivalEpochMs when the chunk holding that audio arrived
 * @param nextPts            the pts continuous audio would have had next, in the source's clock
 * @param timescale          that clock's ticks per second
 * @param ptsBits            where that clock wraps
 */
public record TimelinePoint(long endMs, long lastArrivalEpochMs, long nextPts, long timescale, int ptsBits) {
}
