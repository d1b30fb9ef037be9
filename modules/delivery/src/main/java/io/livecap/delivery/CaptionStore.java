package io.livecap.delivery;

import io.livecap.captions.Caption;
import io.livecap.timing.StreamTimeline;

import java.util.List;

/**
 * Where final captions are kept before they are sent, so a subscriber that reconnects with {@code from_seq} (or a
 * transcript built after the event) never misses one. Implementations are thread-safe.
 */
public interface CaptionStore {

    /** Keeps a final caption. Must be durable (as far as the implementation promises) when it returns. */
    void append(Caption fin);

    /** The finals of {@code streamId} with seq greater than {@code afterSeq}, in seq order. */
    List<Caption> finalsAfter(String streamId, long afterSeq);

    /** Remembers that the stream used {@code seq} (for a partial: finals are remembered by {@link #append}). */
    void issued(String streamId, long seq);

    /** The highest seq the stream has used, partials included, or 0. */
    long lastSeq(String streamId);

    /**
     * Where the stream id's timeline stands ({@link StreamTimeline#FIRST} for an id never seen). Never behind the
     * stored finals: a final that was stored but whose timeline update was lost in a crash still counts.
     */
    StreamTimeline timeline(String streamId);

    /** Keeps where the stream id's timeline stands. */
    void saveTimeline(String streamId, StreamTimeline timeline);

    /** What /healthz shows of the store (empty: nothing to say, as for an embedded one). */
    default java.util.Map<String, Object> health() {
        return java.util.Map.of();
    }
}
