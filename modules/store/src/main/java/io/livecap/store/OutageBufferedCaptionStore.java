package io.livecap.store;

import io.livecap.captions.Caption;
import io.livecap.delivery.CaptionStore;
import io.livecap.delivery.DeliveryCheckpoints;
import io.livecap.delivery.StoreException;
import io.livecap.timing.StreamTimeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link CaptionStore} that rides out a store outage (a PostgreSQL restart, a failover of its host): every write
 * goes through one writer thread, in order. While the store answers, a write returns once it is committed ("stored
 * before it is sent" holds); once a write has not been committed within {@code syncWait} the store counts as away,
 * and writes return at once, kept in memory (at most {@code capacity}; past that the oldest are dropped, counted and
 * logged as lost) until the writer gets them in, in their order. Retried writes are harmless: the store ignores a
 * final it already has with the same content. Reads while away answer from memory where memory holds the whole
 * answer (the last seq; the finals after the last one this writer stored, which is what a caption push catching up
 * asks for) and otherwise fail fast rather than hang a session on the pool's connection timeout. The captionUrl
 * pushes' delivery checkpoints go through the same queue ({@link OutageBufferedDeliveryCheckpoints}), behind the
 * finals they confirm. {@link #health()} says what happened.
 */
public final class OutageBufferedCaptionStore implements CaptionStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutageBufferedCaptionStore.class);

    /**
     * One write, in the order it was asked: a final, an issued seq, a timeline, or a delivery checkpoint (a
     * {@code destination}'s confirmed seq, kept through {@code checkpoints}).
     */
    private record Write(String streamId, Caption fin, Long issuedSeq, StreamTimeline timeline,
                         String destination, DeliveryCheckpoints checkpoints, CompletableFuture<Void> done) {

        Write(String streamId, Caption fin, Long issuedSeq, StreamTimeline timeline) {
            this(streamId, fin, issuedSeq, timeline, null, null, new CompletableFuture<>());
        }
    }

    private final CaptionStore store;
    private final Duration syncWait;
    private final Duration retry;
    private final int capacity;
    // the writer leaves a write in the queue until it is stored, so readers see it while it is being retried
    private final LinkedBlockingDeque<Write> queue = new LinkedBlockingDeque<>();
    /** Per stream, the seq of the last final this writer stored: every later final is still in the queue. */
    private final Map<String, Long> storedThrough = new ConcurrentHashMap<>();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile Instant awaySince; // null while the store answers
    private volatile Instant lastOutageStart;
    private volatile Instant lastOutageEnd;
    private volatile long outages;
    private volatile long writtenAfterOutage;
    private volatile long lost;

    public OutageBufferedCaptionStore(CaptionStore store, Duration syncWait, Duration retry, int capacity) {
        this.store = store;
        this.syncWait = syncWait;
        this.retry = retry;
        this.capacity = capacity;
        this.writer = new Thread(this::write, "store-writer");
        this.writer.setDaemon(true);
        this.writer.start();
        Gauge.builder("livecap.store.buffered.writes", queue, LinkedBlockingDeque::size)
                .description("writes kept in memory while the store is away").register(Metrics.globalRegistry);
        Gauge.builder("livecap.store.away", this, s -> s.awaySince == null ? 0 : 1)
                .description("1 while the store does not answer").register(Metrics.globalRegistry);
    }

    @Override
    public void append(Caption fin) {
        if (!fin.isFinal()) {
            throw new IllegalArgumentException("only final captions are stored, got partial seq " + fin.seq());
        }
        submit(new Write(fin.streamId(), fin, null, null));
    }

    @Override
    public void issued(String streamId, long seq) {
        submit(new Write(streamId, null, seq, null));
    }

    @Override
    public void saveTimeline(String streamId, StreamTimeline timeline) {
        submit(new Write(streamId, null, null, timeline));
    }

    /**
     * Queues a delivery checkpoint behind every write asked before it (so it is never stored ahead of the finals it
     * confirms) and returns at once, the store away or not: a checkpoint only spares a resend after a restart, and
     * the push that confirms it must not wait for the store.
     */
    void confirmLater(String streamId, String destination, long seq, DeliveryCheckpoints checkpoints) {
        enqueue(new Write(streamId, null, seq, null, destination, checkpoints, new CompletableFuture<>()));
    }

    /** The highest checkpoint of {@code destination} still queued, or 0. */
    long pendingCheckpoint(String streamId, String destination) {
        long pending = 0;
        for (Write w : List.copyOf(queue)) {
            if (destination.equals(w.destination()) && w.streamId().equals(streamId)) {
                pending = Math.max(pending, w.issuedSeq());
            }
        }
        return pending;
    }

    /** Since when the store does not answer; null while it does. */
    Instant awaySince() {
        return awaySince;
    }

    private void enqueue(Write w) {
        synchronized (queue) {
            queue.addLast(w);
            queue.notifyAll();
        }
        while (queue.size() > capacity) {
            Write dropped = queue.pollFirst();
            if (dropped != null) {
                lost++;
                dropped.done().complete(null);
                log.error("store away and {} writes buffered: dropped the oldest ({}); it is lost", capacity,
                        describe(dropped));
            }
        }
    }

    private void submit(Write w) {
        enqueue(w);
        if (awaySince != null) {
            return; // kept in memory; the session goes on
        }
        try {
            w.done().get(syncWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            markAway();
        } catch (ExecutionException e) {
            throw new StoreException("cannot store " + describe(w), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void markAway() {
        if (awaySince == null) {
            synchronized (this) {
                if (awaySince == null) {
                    awaySince = Instant.now();
                    lastOutageStart = awaySince;
                    outages++;
                    log.warn("store not answering: keeping captions flowing, their writes in memory (up to {}) until"
                            + " it is back", capacity);
                }
            }
        }
    }

    private void write() {
        while (running) {
            Write w;
            try {
                synchronized (queue) {
                    while (queue.isEmpty() && running) {
                        queue.wait(1_000);
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            w = queue.peekFirst();
            if (w == null) {
                continue;
            }
            boolean retried = false;
            while (running) {
                try {
                    apply(w);
                    if (w.fin() != null) {
                        storedThrough.merge(w.streamId(), w.fin().seq(), Math::max);
                    }
                    queue.removeFirstOccurrence(w); // stored: only now may readers stop counting it
                    w.done().complete(null);
                    break;
                } catch (StoreException e) {
                    if (!retried) {
                        log.warn("store write failed ({}): retrying every {} ms", rootMessage(e), retry.toMillis());
                    }
                    retried = true;
                    markAway();
                    try {
                        Thread.sleep(retry.toMillis()); // the retry's back-off, not a synchronisation
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // not the store being away (a conflicting final): the caller hears of it, nothing to retry
                    log.error("cannot store {}: {}", describe(w), e.toString());
                    queue.removeFirstOccurrence(w);
                    w.done().completeExceptionally(e);
                    break;
                }
            }
            if (awaySince != null) {
                writtenAfterOutage++;
                if (queue.isEmpty()) {
                    Instant since = awaySince;
                    lastOutageEnd = Instant.now();
                    awaySince = null;
                    log.info("store back after {} ms: the writes kept meanwhile are stored ({} this outage so far)",
                            Duration.between(since, lastOutageEnd).toMillis(), writtenAfterOutage);
                }
            }
        }
    }

    private void apply(Write w) {
        if (w.destination() != null) {
            w.checkpoints().confirm(w.streamId(), w.destination(), w.issuedSeq());
        } else if (w.fin() != null) {
            store.append(w.fin());
        } else if (w.issuedSeq() != null) {
            store.issued(w.streamId(), w.issuedSeq());
        } else {
            store.saveTimeline(w.streamId(), w.timeline());
        }
    }

    @Override
    public List<Caption> finalsAfter(String streamId, long afterSeq) {
        if (awaySince != null) {
            // the queue first, then how far the writer got: a final stored in between is at or below that
            List<Write> pending = List.copyOf(queue);
            Long through = storedThrough.get(streamId);
            if (through != null && afterSeq >= through) {
                // every final after afterSeq is still in memory: a push catching up needs no store for it
                return pending.stream().filter(w -> w.fin() != null && w.streamId().equals(streamId)
                        && w.fin().seq() > afterSeq).map(Write::fin).sorted(Comparator.comparingLong(Caption::seq))
                        .toList();
            }
            throw new StoreException("the store is not answering (since " + awaySince + "); try again shortly", null);
        }
        // writes may still be on their way in: they count already
        TreeMap<Long, Caption> finals = new TreeMap<>();
        for (Caption c : store.finalsAfter(streamId, afterSeq)) {
            finals.put(c.seq(), c);
        }
        for (Write w : List.copyOf(queue)) {
            if (w.fin() != null && w.streamId().equals(streamId) && w.fin().seq() > afterSeq) {
                finals.putIfAbsent(w.fin().seq(), w.fin());
            }
        }
        return new ArrayList<>(finals.values());
    }

    @Override
    public long lastSeq(String streamId) {
        long pending = 0;
        for (Write w : List.copyOf(queue)) {
            if (w.streamId().equals(streamId) && w.destination() == null) {
                pending = Math.max(pending, w.fin() != null ? w.fin().seq() : w.issuedSeq() != null ? w.issuedSeq() : 0);
            }
        }
        if (awaySince != null) {
            if (pending == 0) {
                throw new StoreException("the store is not answering (since " + awaySince + ")", null);
            }
            return pending;
        }
        return Math.max(pending, store.lastSeq(streamId));
    }

    @Override
    public StreamTimeline timeline(String streamId) {
        List<Write> pending = List.copyOf(queue).stream()
                .filter(w -> w.timeline() != null && w.streamId().equals(streamId)).toList();
        if (!pending.isEmpty()) {
            return pending.get(pending.size() - 1).timeline();
        }
        if (awaySince != null) {
            throw new StoreException("the store is not answering (since " + awaySince + ")", null);
        }
        return store.timeline(streamId);
    }

    /** For /healthz: whether the store answers, and what the last outage cost. */
    @Override
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        Instant since = awaySince;
        h.put("status", since == null ? "ok" : "away");
        if (since != null) {
            h.put("away_since", since.toString());
        }
        h.put("buffered_writes", queue.size());
        h.put("outages", outages);
        if (lastOutageStart != null) {
            h.put("last_outage_start", lastOutageStart.toString());
        }
        if (lastOutageEnd != null && since == null) {
            h.put("last_outage_end", lastOutageEnd.toString());
            h.put("last_outage_ms", Duration.between(lastOutageStart, lastOutageEnd).toMillis());
        }
        h.put("written_after_outages", writtenAfterOutage);
        h.put("lost_writes", lost);
        return h;
    }

    private static String describe(Write w) {
        return w.destination() != null ? "delivery checkpoint " + w.issuedSeq() + " of stream " + w.streamId()
                : w.fin() != null ? "final seq " + w.fin().seq() + " of stream " + w.streamId()
                : w.issuedSeq() != null ? "seq " + w.issuedSeq() + " of stream " + w.streamId()
                : "the timeline of stream " + w.streamId();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Gives the writer a moment to store what is kept, then stops it. */
    @Override
    public void close() {
        Write last = queue.peekLast();
        if (last != null && awaySince == null) {
            try {
                last.done().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("closing: the last write: {}", e.toString());
            }
        }
        if (!queue.isEmpty()) {
            log.warn("closing with {} writes not stored (the store is away): they are lost", queue.size());
        }
        running = false;
        synchronized (queue) {
            queue.notifyAll();
        }
        writer.interrupt();
    }
}
