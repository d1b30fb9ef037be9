package io.livecap.testkit;

import io.livecap.captions.Caption;
import io.livecap.delivery.CaptionStore;
import io.livecap.delivery.StoreException;
import io.livecap.timing.StreamTimeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link CaptionStore} in memory, for tests of the code that uses the port: same contract, nothing durable. */
public final class InMemoryCaptionStore implements CaptionStore {

    private final List<Caption> finals = new ArrayList<>();
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final Map<String, StreamTimeline> timelines = new HashMap<>();

    /** As the JDBC store: storing the same final again is a no-op, another final with its seq is an error. */
    @Override
    public synchronized void append(Caption fin) {
        if (!fin.isFinal()) {
            throw new IllegalArgumentException("only final captions are stored, got partial seq " + fin.seq());
        }
        Caption existing = finals.stream().filter(c -> c.streamId().equals(fin.streamId()) && c.seq() == fin.seq())
                .findFirst().orElse(null);
        if (existing != null) {
            if (!existing.equals(fin)) {
                throw new StoreException("stream " + fin.streamId() + " already has a different final with seq "
                        + fin.seq(), null);
            }
            return;
        }
        finals.add(fin);
        issued(fin.streamId(), fin.seq());
    }

    @Override
    public synchronized List<Caption> finalsAfter(String streamId, long afterSeq) {
        return finals.stream().filter(c -> c.streamId().equals(streamId) && c.seq() > afterSeq)
                .sorted(Comparator.comparingLong(Caption::seq)).toList();
    }

    @Override
    public synchronized void issued(String streamId, long seq) {
        lastSeq.merge(streamId, seq, Math::max);
    }

    @Override
    public synchronized long lastSeq(String streamId) {
        return lastSeq.getOrDefault(streamId, 0L);
    }

    /** Nothing here outlives a crash, so the timeline is simply the one last saved. */
    @Override
    public synchronized StreamTimeline timeline(String streamId) {
        return timelines.getOrDefault(streamId, StreamTimeline.FIRST);
    }

    @Override
    public synchronized void saveTimeline(String streamId, StreamTimeline timeline) {
        timelines.put(streamId, timeline);
    }
}
