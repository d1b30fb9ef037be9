package io.livecap.delivery;

import java.time.Instant;
import java.util.List;

/**
 * What is kept of each stream id, as an operator sees it: which streams have stored finals, and removing one
 * stream's. Implementations are thread-safe.
 */
public interface StoredCaptions {

    /**
     * One stream id's stored finals.
     *
     * @param firstStoredAt when its oldest kept final was stored
     * @param lastStoredAt  when its newest was
     */
    record StoredStream(String streamId, long finals, Instant firstStoredAt, Instant lastStoredAt) {
    }

    /** The stream ids with stored finals, by id, after {@code afterId} (null = from the first), at most {@code limit}. */
    List<StoredStream> list(String afterId, int limit);

    /**
     * Removes everything kept for {@code streamId}: finals, issued seqs, timeline, delivery checkpoints. Returns how
     * many finals went, or -1 when nothing at all was kept for it.
     */
    long delete(String streamId);
}
