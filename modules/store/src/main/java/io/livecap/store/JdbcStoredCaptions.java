package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.delivery.StoredCaptions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@link StoredCaptions} over the tables of {@link JdbcCaptionStore} and {@link JdbcDeliveryCheckpoints}, and the
 * retention sweep that removes what is older than a cut-off. Plain standard SQL (H2 and PostgreSQL).
 */
public final class JdbcStoredCaptions implements StoredCaptions {

    /** What one sweep removed. */
    public record Swept(long finals, int streams, long timelines, long seqs, long checkpoints) {

        public boolean nothing() {
            return finals + timelines + seqs + checkpoints == 0;
        }
    }

    private static final String NO_FINALS = " NOT EXISTS (SELECT 1 FROM final_caption f WHERE f.stream_id = %s.stream_id)";

    private final Database db;

    public JdbcStoredCaptions(Database db) {
        this.db = db;
    }

    @Override
    public List<StoredStream> list(String afterId, int limit) {
        String sql = "SELECT stream_id, COUNT(*), MIN(stored_at), MAX(stored_at) FROM final_caption"
                + (afterId == null ? "" : " WHERE stream_id > ?")
                + " GROUP BY stream_id ORDER BY stream_id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY";
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            if (afterId != null) {
                query.setString(1, afterId);
            }
            List<StoredStream> streams = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    streams.add(new StoredStream(rows.getString(1), rows.getLong(2),
                            rows.getObject(3, OffsetDateTime.class).toInstant(),
                            rows.getObject(4, OffsetDateTime.class).toInstant()));
                }
            }
            return streams;
        } catch (SQLException e) {
            throw new StoreException("cannot list the stored streams", e);
        }
    }

    @Override
    public long delete(String streamId) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long finals = update(c, "DELETE FROM final_caption WHERE stream_id = ?", streamId);
                long others = update(c, "DELETE FROM stream_seq WHERE stream_id = ?", streamId)
                        + update(c, "DELETE FROM stream_timeline WHERE stream_id = ?", streamId)
                        + update(c, "DELETE FROM caption_delivery WHERE stream_id = ?", streamId);
                c.commit();
                return finals + others == 0 ? -1 : finals;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot delete the stored captions of stream " + streamId, e);
        }
    }

    /**
     * Removes the finals stored before {@code cutoff}, except those of the {@code keep} stream ids (live streams,
     * open REACH tasks), then each stream id's timeline, issued seq and delivery checkpoints once it has no final left
     * and they were last written before {@code cutoff} too. One stream at a time, each in its own transaction, so a
     * large backlog never becomes one huge transaction.
     */
    public Swept sweep(Instant cutoff, Collection<String> keep) {
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        try (Connection c = db.connection()) {
            long finals = 0;
            int streams = 0;
            for (String id : ids(c, "SELECT DISTINCT stream_id FROM final_caption WHERE stored_at < ?", before)) {
                if (!keep.contains(id)) {
                    try (PreparedStatement delete = c.prepareStatement(
                            "DELETE FROM final_caption WHERE stream_id = ? AND stored_at < ?")) {
                        delete.setString(1, id);
                        delete.setObject(2, before);
                        finals += delete.executeUpdate();
                        streams++;
                    }
                }
            }
            long timelines = sweepRows(c, "stream_timeline", before, keep);
            long seqs = sweepRows(c, "stream_seq", before, keep);
            long checkpoints = sweepRows(c, "caption_delivery", before, keep);
            return new Swept(finals, streams, timelines, seqs, checkpoints);
        } catch (SQLException e) {
            throw new StoreException("retention sweep failed", e);
        }
    }

    /** A table's rows of stream ids without finals, untouched since {@code before}, not kept. */
    private static long sweepRows(Connection c, String table, OffsetDateTime before, Collection<String> keep)
            throws SQLException {
        long removed = 0;
        String idle = " FROM " + table + " WHERE updated_at < ? AND" + NO_FINALS.formatted(table);
        for (String id : ids(c, "SELECT DISTINCT stream_id" + idle, before)) {
            if (!keep.contains(id)) {
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE" + idle + " AND stream_id = ?")) {
                    delete.setObject(1, before);
                    delete.setString(2, id);
                    removed += delete.executeUpdate();
                }
            }
        }
        return removed;
    }

    private static List<String> ids(Connection c, String sql, OffsetDateTime before) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            query.setObject(1, before);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    private static long update(Connection c, String sql, String streamId) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, streamId);
            return statement.executeUpdate();
        }
    }
}
