package io.livecap.store;

import io.livecap.captions.Caption;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Final captions in memory, per stream, bounded to the newest {@code maxPerStream} (oldest dropped first). */
public final class InMemoryCaptionStore implements CaptionStore {

    private final int maxPerStream;
    private final Map<String, List<Caption>> byStream = new ConcurrentHashMap<>();

    public InMemoryCaptionStore(int maxPerStream) {
        this.maxPerStream = maxPerStream;
    }

    @Override
    public void append(Caption fin) {
        if (!fin.isFinal()) {
            throw new IllegalArgumentException("only final captions are stored, got partial seq " + fin.seq());
        }
        List<Caption> list = byStream.computeIfAbsent(fin.streamId(), id -> new ArrayList<>());
        synchronized (list) {
            if (!list.isEmpty() && list.get(list.size() - 1).seq() >= fin.seq()) {
                throw new IllegalArgumentException("seq " + fin.seq() + " after " + list.get(list.size() - 1).seq()
                        + " on stream " + fin.streamId());
            }
            list.add(fin);
            if (list.size() > maxPerStream) {
                list.subList(0, list.size() - maxPerStream).clear();
            }
        }
    }

    @Override
    public List<Caption> finalsAfter(String streamId, long afterSeq) {
        List<Caption> list = byStream.get(streamId);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            int low = 0;
            int high = list.size();
            while (low < high) { // first index with seq > afterSeq
                int mid = (low + high) >>> 1;
                if (list.get(mid).seq() <= afterSeq) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return List.copyOf(list.subList(low, list.size()));
        }
    }

    @Override
    public long lastSeq(String streamId) {
        List<Caption> list = byStream.get(streamId);
        if (list == null) {
            return 0;
        }
        synchronized (list) {
            return list.isEmpty() ? 0 : list.get(list.size() - 1).seq();
        }
    }
}
