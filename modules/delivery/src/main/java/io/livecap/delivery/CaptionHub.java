package io.livecap.delivery;

import io.livecap.delivery.CaptionStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every stream's {@link CaptionFeed}, made on first use: a subscriber may arrive before its stream does. */
public final class CaptionHub {

    private final CaptionStore store;
    private final Map<String, CaptionFeed> feeds = new ConcurrentHashMap<>();

    public CaptionHub(CaptionStore store) {
        this.store = store;
    }

    public CaptionFeed feed(String streamId) {
        return feeds.computeIfAbsent(streamId, id -> new CaptionFeed(id, store));
    }

    public CaptionStore store() {
        return store;
    }
}
