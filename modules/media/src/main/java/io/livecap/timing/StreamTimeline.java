package io.livecap.timing;

/**
 * Where a stream id's timeline stands between its sources, kept in the store so a reconnect, a restarted pull or a
 * restarted livecap carries on with the same {@code start}, {@code utterance} (and, kept by the caption store,
 * {@code seq}).
 *
 * @param session         which timeline of the stream id this is: 1 at first, one more each time an explicitly
 *                        ended id is used again after its expiry (and starts again at 0)
 * @param nextUtterance   the utterance number the next final starts
 * @param lastFinalEndMs  where the last final ended: no later final starts before it
 * @param end             where the last source left the timeline; null before any audio
 * @param endedAtEpochMs  when the event was explicitly ended (an operator's DELETE, the end of a REACH slot, an eos
 *                        with {@code "end_event":true}); 0 while it is open
 */
public record StreamTimeline(long session, long nextUtterance, long lastFinalEndMs, TimelinePoint end,
                             long endedAtEpochMs) {

    public static final StreamTimeline FIRST = new StreamTimeline(1, 1, 0, null, 0);

    public boolean isEnded() {
        return endedAtEpochMs != 0;
    }

    /** The next timeline of the same stream id: a new session, from 0 again. */
    public StreamTimeline next() {
        return new StreamTimeline(session + 1, 1, 0, null, 0);
    }

    public StreamTimeline endedAt(long epochMs) {
        return new StreamTimeline(session, nextUtterance, lastFinalEndMs, end, epochMs);
    }

    public StreamTimeline reopened() {
        return new StreamTimeline(session, nextUtterance, lastFinalEndMs, end, 0);
    }

    public StreamTimeline movedTo(long nextUtterance, long lastFinalEndMs, TimelinePoint end) {
        return new StreamTimeline(session, nextUtterance, lastFinalEndMs, end == null ? this.end : end,
                endedAtEpochMs);
    }
}
