package io.livecap.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code store.retention_days}: on a schedule, removes the finals stored longer ago than the retention (and the rows
 * of stream ids left without any), never those of the stream ids {@code protectedIds} names when the sweep runs
 * (live streams, open REACH tasks: their transcript is delivered from the store).
 */
public final class RetentionSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final JdbcStoredCaptions stored;
    private final Duration retention;
    private final Supplier<Collection<String>> protectedIds;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public RetentionSweeper(JdbcStoredCaptions stored, Duration retention, Supplier<Collection<String>> protectedIds,
                            Clock clock) {
        this.stored = stored;
        this.retention = retention;
        this.protectedIds = protectedIds;
        this.clock = clock;
    }

    /** Sweeps now and then every {@code interval}, on a daemon thread of its own. */
    public synchronized RetentionSweeper start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention-sweeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweepQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("retention: finals kept {} days, swept every {} min", retention.toDays(), interval.toMinutes());
        return this;
    }

    /** One sweep with the cut-off the clock gives now. */
    public JdbcStoredCaptions.Swept sweep() {
        return sweep(clock.instant().minus(retention));
    }

    /** One sweep of what was stored before {@code cutoff}; logs what it removed. */
    public JdbcStoredCaptions.Swept sweep(Instant cutoff) {
        JdbcStoredCaptions.Swept swept = stored.sweep(cutoff, Set.copyOf(protectedIds.get()));
        if (swept.nothing()) {
            log.debug("retention: nothing stored before {}", cutoff);
        } else {
            log.info("retention: removed {} finals of {} streams stored before {}, and {} timelines, {} issued seqs,"
                            + " {} delivery checkpoints of streams left without finals", swept.finals(),
                    swept.streams(), cutoff, swept.timelines(), swept.seqs(), swept.checkpoints());
        }
        return swept;
    }

    /** A failed sweep is tried again next time; the timer must not die of it. */
    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("retention: sweep failed, trying again next time: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
