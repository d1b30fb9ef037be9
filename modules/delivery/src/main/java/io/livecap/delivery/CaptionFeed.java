package io.livecap.delivery;

import io.livecap.audio.HealthEvent;
import io.livecap.captions.Caption;
import io.livecap.captions.CaptionSink;
import io.livecap.delivery.CaptionStore;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One stream's captions on their way out: finals are stored before anyone sees them, then every subscriber gets
 * every caption in seq order. A subscriber that joins with {@code from_seq} first gets the stored finals after it;
 * joining and publishing share one lock, so nothing falls between replay and live. In a cluster, a feed whose stream
 * is live on another node follows it through the {@link CaptionRelay}: finals are read back from the shared store
 * past the last one delivered (so a lost or late notice never drops or repeats one), partials come in the notice.
 */
public final class CaptionFeed implements CaptionSink {

    private static final Logger log = LoggerFactory.getLogger(CaptionFeed.class);

    private final String streamId;
    private final CaptionStore store;
    private final List<CaptionSubscriber> subscribers = new CopyOnWriteArrayList<>();
    /** Subscribers of the node itself (the operator console): they take no client's place under a cap. */
    private final List<CaptionSubscriber> observers = new CopyOnWriteArrayList<>();
    private long lastSeq;
    private boolean live;
    private String endReason = "not started";
    private int holders; // changed only inside CaptionHub's map operations on this id, which serialise them
    private final CaptionRelay relay;
    /** While this feed follows another node's stream (it has subscribers and is not live here). */
    private AutoCloseable following;
    /** The highest final seq delivered here, this node's or relayed: a relayed final at or below it is old. */
    private long lastFinal;

    public CaptionFeed(String streamId, CaptionStore store) {
        this(streamId, store, CaptionRelay.NONE);
    }

    public CaptionFeed(String streamId, CaptionStore store, CaptionRelay relay) {
        this.streamId = streamId;
        this.store = store;
        this.relay = relay;
        this.lastSeq = store.lastSeq(streamId);
        this.lastFinal = lastSeq;
    }

    public String streamId() {
        return streamId;
    }

    /** A stream (re)starts on this feed; returns the seq its first caption must carry. */
    public synchronized long open() {
        live = true;
        return lastSeq + 1;
    }

    @Override
    public synchronized void accept(Caption caption) {
        if (caption.isFinal()) {
            store.append(caption);
        } else {
            store.issued(streamId, caption.seq());
        }
        lastSeq = caption.seq();
        if (caption.isFinal()) {
            lastFinal = caption.seq();
        }
        Metrics.counter("livecap.captions", "final", String.valueOf(caption.isFinal())).increment();
        send(caption);
        relay.published(streamId, caption);
    }

    private void send(Caption caption) {
        for (CaptionSubscriber s : subscribers) {
            try {
                s.onCaption(caption);
            } catch (RuntimeException e) {
                log.warn("stream {}: dropping caption subscriber {}: {}", streamId, s, e.toString());
                subscribers.remove(s);
            }
        }
    }

    public synchronized void health(HealthEvent event) {
        for (CaptionSubscriber s : subscribers) {
            s.onHealth(event);
        }
    }

    /** Ends the stream for every subscriber. */
    public synchronized void end(String reason) {
        live = false;
        endReason = reason;
        for (CaptionSubscriber s : subscribers) {
            s.onEndOfStream(streamId, lastSeq, reason);
        }
        relay.ended(streamId, lastSeq, reason);
    }

    /**
     * Adds a subscriber. With {@code fromSeq >= 0} the stored finals after it are sent first. If the stream is not
     * live (ended, or not started yet but with stored captions), the subscriber gets the replay and then
     * end-of-stream only when it asked for a replay; otherwise it waits for the stream to start.
     */
    public synchronized void subscribe(CaptionSubscriber subscriber, long fromSeq) {
        subscribe(subscriber, fromSeq, 0);
    }

    /**
     * As {@link #subscribe(CaptionSubscriber, long)}, unless {@code max} subscribers (0 = no cap) are here already:
     * then nothing is sent and false returned.
     */
    public synchronized boolean subscribe(CaptionSubscriber subscriber, long fromSeq, int max) {
        if (max > 0 && subscribers.size() - observers.size() >= max) {
            return false;
        }
        String owner = !live && relay.enabled() ? relay.ownerElsewhere(streamId) : null;
        if (!live && relay.enabled() && (owner != null || fromSeq < 0 || lastSeq == 0)) {
            // listening before reading the store: a final stored meanwhile is announced, and caught up below
            follow();
            catchUp();
        }
        if (fromSeq >= 0) {
            // a followed feed has delivered the finals up to lastFinal; later ones come with the next catch-up
            long upTo = following != null ? lastFinal : Long.MAX_VALUE;
            for (Caption c : store.finalsAfter(streamId, fromSeq)) {
                if (c.seq() <= upTo) {
                    subscriber.onCaption(c);
                }
            }
            if (!live && lastSeq > 0 && owner == null) {
                subscriber.onEndOfStream(streamId, lastSeq, endReason);
                return true;
            }
        }
        subscribers.add(subscriber);
        return true;
    }

    /**
     * Unless the stream is live, runs {@code removal} (its stored captions go) and ends every subscriber with
     * {@code reason}, so none is left waiting on a stream whose captions are gone. Afterwards the feed is what a new
     * one would be for an id never seen (its last seq read back from the store): a later replay gets nothing and
     * waits for a stream, like one of an unknown id. Holding the feed's lock, no stream can start and no replay be
     * read half-way meanwhile. Returns false, having done nothing, while the stream is live.
     */
    public synchronized boolean forget(Runnable removal, String reason) {
        if (live) {
            return false;
        }
        removal.run();
        for (CaptionSubscriber s : subscribers) {
            s.onEndOfStream(streamId, lastSeq, reason);
        }
        subscribers.clear();
        lastSeq = store.lastSeq(streamId);
        lastFinal = lastSeq;
        endReason = "not started";
        return true;
    }

    public synchronized boolean isLive() {
        return live;
    }

    public void unsubscribe(CaptionSubscriber subscriber) {
        subscribers.remove(subscriber);
        observers.remove(subscriber);
    }

    /** As {@code subscribe(observer, -1)}, for the node's own use: not counted against the subscriber cap. */
    public synchronized void observe(CaptionSubscriber observer) {
        observers.add(observer);
        subscribers.add(observer);
    }

    /** A notice from the node that owns the stream (on the relay's thread). Ignored while the stream is live here. */
    synchronized void relayed(CaptionRelay.Notice notice) {
        if (live || following == null) {
            return;
        }
        if (notice.isEnd()) {
            catchUp();
            lastSeq = Math.max(lastSeq, notice.seq());
            endReason = notice.endReason();
            for (CaptionSubscriber s : subscribers) {
                s.onEndOfStream(streamId, lastSeq, endReason);
            }
        } else if (notice.isFinal()) {
            catchUp();
        } else if (notice.partial() != null && notice.seq() > lastSeq) {
            lastSeq = notice.seq();
            send(notice.partial());
        }
    }

    /** Delivers the stored finals past the last one delivered, in seq order. */
    private void catchUp() {
        List<Caption> finals;
        try {
            finals = store.finalsAfter(streamId, lastFinal);
        } catch (StoreException e) {
            // the next notice (or the relay's resync once the store is back) catches up
            log.warn("stream {}: cannot read the relayed finals now: {}", streamId, e.getMessage());
            return;
        }
        for (Caption c : finals) {
            lastFinal = c.seq();
            lastSeq = Math.max(lastSeq, c.seq());
            send(c);
        }
    }

    private void follow() {
        if (following != null) {
            return;
        }
        try {
            following = relay.follow(streamId, this::relayed);
        } catch (RuntimeException e) {
            log.warn("stream {}: cannot follow it on the other nodes: {}", streamId, e.toString());
        }
    }

    /** The feed is dropped: stops following another node's stream. */
    synchronized void stopFollowing() {
        AutoCloseable held = following;
        following = null;
        if (held != null) {
            try {
                held.close();
            } catch (Exception e) {
                log.debug("stream {}: stop following: {}", streamId, e.toString());
            }
        }
    }

    void hold() {
        holders++;
    }

    /** Returns how many still hold this feed. */
    int letGo() {
        return holders = Math.max(0, holders - 1);
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }
}
