package io.livecap.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What H2's background writer would do, for a file database opened with {@code WRITE_DELAY=0}: that setting makes
 * every commit durable when it returns (a stored final survives a SIGKILL), but it also stops the background thread,
 * and with it the rewriting of partly dead chunks. Each commit writes a new chunk (about 13 KB for one issued seq),
 * so without this the file only ever grows between restarts (issue 12 measured 147 KB to 12.7 MB over 5 one-minute
 * streams). Every {@code interval} the chunks under {@link #TARGET_FILL_RATE} % live are rewritten, so their space
 * is reused once H2's retention time has passed.
 */
final class H2Housekeeping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);
    /** H2's own default for its background compaction (AUTO_COMPACT_FILL_RATE). */
    static final int TARGET_FILL_RATE = 90;
    /** Rewritten per round at most, so a round never stalls the writers for long. */
    private static final int MAX_REWRITE_BYTES = 4 << 20;

    private final ScheduledExecutorService timer;

    private H2Housekeeping(MVStore store, Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (!store.isClosed()) {
                    store.compact(TARGET_FILL_RATE, MAX_REWRITE_BYTES);
                }
            } catch (RuntimeException e) {
                log.debug("h2 housekeeping round failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts it for an embedded H2 database ({@code pool}'s connections are H2's own); null for anything else (a
     * server or another database does its own housekeeping).
     */
    static H2Housekeeping start(DataSource pool, Duration interval) {
        try (Connection c = pool.getConnection()) {
            if (c.isWrapperFor(JdbcConnection.class)
                    && c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local
                    && local.getDatabase().isPersistent()) {
                log.debug("h2 housekeeping: partly dead chunks rewritten every {} ms", interval.toMillis());
                return new H2Housekeeping(local.getDatabase().getStore().getMvStore(), interval);
            }
        } catch (SQLException | RuntimeException | LinkageError e) {
            // H2's internals moved (another H2 version): the file then grows until a restart compacts it
            log.warn("h2 housekeeping unavailable ({}): the database file is compacted only when livecap stops",
                    e.toString());
        }
        return null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
