package io.livecap.delivery;

import io.micrometer.core.instrument.Metrics;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every stream's {@link CaptionFeed}, made on first use: a subscriber may arrive before its stream does. A feed is
 * held by its stream's session and by each subscriber; when the last lets go it is dropped (it keeps nothing the
 * store does not: made again, it reads its last seq back), so ids that clients merely ask about leave nothing behind.
 */
public final class CaptionHub {

    private final CaptionStore store;
    private final Map<String, CaptionFeed> feeds = new ConcurrentHashMap<>();
    private final CaptionRelay relay;

    public CaptionHub(CaptionStore store) {
        this(store, CaptionRelay.NONE);
    }

    /** With {@code relay}, a feed follows its stream when another node of the cluster has it live. */
    public CaptionHub(CaptionStore store, CaptionRelay relay) {
        this.store = store;
        this.relay = relay;
        Metrics.gauge("livecap.caption.feeds", feeds, Map::size);
    }

    /**
     * The feed of {@code streamId}, held until {@link #release}: a stream session's (until it is over), a subscriber's, or a
     * REACH uplink's (which holds it for its task).
     */
    public CaptionFeed feed(String streamId) {
        // made and held in one step, so a release of the same id in between cannot drop it
        return feeds.compute(streamId, (id, existing) -> {
            CaptionFeed feed = existing != null ? existing : new CaptionFeed(id, store, relay);
            feed.hold();
            return feed;
        });
    }

    /** Lets go of a feed got from {@link #feed}; once nobody holds it, it is dropped. */
    public void release(CaptionFeed feed) {
        boolean[] dropped = {false};
        feeds.computeIfPresent(feed.streamId(), (id, existing) -> {
            if (existing != feed) {
                return existing;
            }
            dropped[0] = feed.letGo() == 0;
            return dropped[0] ? null : feed;
        });
        if (dropped[0]) {
            feed.stopFollowing(); // outside the map's lock: it takes the feed's
        }
    }

    /**
     * Removes what {@code stored} keeps of {@code streamId} unless the stream is live (see
     * {@link CaptionFeed#forget}); returns the finals removed (-1: nothing was kept), or empty while it is live.
     */
    public OptionalLong forget(String streamId, StoredCaptions stored, String reason) {
        CaptionFeed feed = feed(streamId);
        try {
            long[] removed = {-1};
            return feed.forget(() -> removed[0] = stored.delete(streamId), reason)
                    ? OptionalLong.of(removed[0]) : OptionalLong.empty();
        } finally {
            release(feed);
        }
    }

    /** How many feeds are kept now (each held by a stream or a subscriber). */
    public int feedCount() {
        return feeds.size();
    }

    public CaptionStore store() {
        return store;
    }
}
