package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.delivery.CaptionStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.captions.Caption;
import io.livecap.timing.StreamTimeline;
import io.livecap.timing.TimelinePoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Final captions in the database. {@link #append} commits before it returns, so a caption that was sent is never
 * lost by a crash; storing the same caption twice (a retried write after a restart) is harmless.
 */
public final class JdbcCaptionStore implements CaptionStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;

    public JdbcCaptionStore(Database db) {
        this.db = db;
    }

    @Override
    public void append(Caption fin) {
        if (!fin.isFinal()) {
            throw new IllegalArgumentException("only final captions are stored, got partial seq " + fin.seq());
        }
        String sql = "INSERT INTO final_caption (stream_id, seq, utterance, start_ms, end_ms, start_epoch, start_pts,"
                + " text, message, session_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connection(); PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setString(1, fin.streamId());
            insert.setLong(2, fin.seq());
            insert.setLong(3, fin.utterance());
            insert.setLong(4, fin.startMs());
            insert.setLong(5, fin.endMs());
            insert.setLong(6, fin.startEpoch());
            insert.setLong(7, fin.startPts());
            insert.setString(8, fin.text());
            insert.setString(9, JSON.writeValueAsString(fin));
            insert.setLong(10, fin.session());
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!Database.duplicateKey(e)) {
                throw new StoreException("cannot store final seq " + fin.seq() + " of stream " + fin.streamId(), e);
            }
            Caption existing = finalsAfter(fin.streamId(), fin.seq() - 1).stream().findFirst().orElse(null);
            if (!fin.equals(existing)) {
                throw new StoreException("stream " + fin.streamId() + " already has a different final with seq "
                        + fin.seq(), e);
            }
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot store final seq " + fin.seq() + " of stream " + fin.streamId(), e);
        }
    }

    @Override
    public List<Caption> finalsAfter(String streamId, long afterSeq) {
        String sql = "SELECT message FROM final_caption WHERE stream_id = ? AND seq > ? ORDER BY seq";
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, streamId);
            query.setLong(2, afterSeq);
            List<Caption> finals = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    finals.add(JSON.readValue(rows.getString(1), Caption.class));
                }
            }
            return finals;
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreException("cannot read finals of stream " + streamId, e);
        }
    }

    @Override
    public void issued(String streamId, long seq) {
        // UPDATE, then INSERT if there was no row: portable, unlike H2's MERGE ... KEY
        try (Connection c = db.connection()) {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE stream_seq SET last_seq = ?, updated_at = CURRENT_TIMESTAMP WHERE stream_id = ?")) {
                update.setLong(1, seq);
                update.setString(2, streamId);
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO stream_seq (stream_id, last_seq) VALUES (?, ?)")) {
                insert.setString(1, streamId);
                insert.setLong(2, seq);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot note seq " + seq + " of stream " + streamId, e);
        }
    }

    @Override
    public long lastSeq(String streamId) {
        String sql = "SELECT GREATEST(COALESCE((SELECT MAX(seq) FROM final_caption WHERE stream_id = ?), 0),"
                + " COALESCE((SELECT last_seq FROM stream_seq WHERE stream_id = ?), 0))";
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, streamId);
            query.setString(2, streamId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the last seq of stream " + streamId, e);
        }
    }

    @Override
    public StreamTimeline timeline(String streamId) {
        String sql = "SELECT session_no, next_utterance, last_final_end, end_ms, last_arrival_ms, next_pts, timescale,"
                + " pts_bits, ended_at_ms FROM stream_timeline WHERE stream_id = ?";
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, streamId);
            StreamTimeline saved = StreamTimeline.FIRST;
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    long endMs = row.getLong(4);
                    TimelinePoint end = row.wasNull() ? null : new TimelinePoint(endMs, row.getLong(5),
                            row.getLong(6), row.getLong(7), row.getInt(8));
                    saved = new StreamTimeline(row.getLong(1), row.getLong(2), row.getLong(3), end, row.getLong(9));
                }
            }
            return withStoredFinals(c, streamId, saved);
        } catch (SQLException e) {
            throw new StoreException("cannot read the timeline of stream " + streamId, e);
        }
    }

    /** Finals are stored before they are sent and the timeline after them: a crash in between must not reuse them. */
    private static StreamTimeline withStoredFinals(Connection c, String streamId, StreamTimeline saved)
            throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT MAX(utterance), MAX(end_ms) FROM final_caption"
                + " WHERE stream_id = ? AND session_no = ?")) {
            query.setString(1, streamId);
            query.setLong(2, saved.session());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long lastUtterance = row.getLong(1);
                if (row.wasNull()) {
                    return saved;
                }
                long lastEnd = row.getLong(2);
                TimelinePoint end = saved.end();
                if (end != null && end.endMs() < lastEnd) {
                    end = new TimelinePoint(lastEnd, end.lastArrivalEpochMs(), end.nextPts(), end.timescale(),
                            end.ptsBits());
                }
                return new StreamTimeline(saved.session(), Math.max(saved.nextUtterance(), lastUtterance + 1),
                        Math.max(saved.lastFinalEndMs(), lastEnd), end, saved.endedAtEpochMs());
            }
        }
    }

    @Override
    public void saveTimeline(String streamId, StreamTimeline t) {
        // UPDATE, then INSERT if there was no row: portable, unlike MERGE or ON CONFLICT; one session at a time
        // writes a stream id's rows, so nothing can insert in between
        String update = "UPDATE stream_timeline SET session_no = ?, next_utterance = ?, last_final_end = ?,"
                + " end_ms = ?, last_arrival_ms = ?, next_pts = ?, timescale = ?, pts_bits = ?, ended_at_ms = ?,"
                + " updated_at = CURRENT_TIMESTAMP WHERE stream_id = ?";
        String insert = "INSERT INTO stream_timeline (session_no, next_utterance, last_final_end, end_ms,"
                + " last_arrival_ms, next_pts, timescale, pts_bits, ended_at_ms, stream_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connection()) {
            try (PreparedStatement statement = c.prepareStatement(update)) {
                bind(statement, streamId, t);
                if (statement.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement statement = c.prepareStatement(insert)) {
                bind(statement, streamId, t);
                statement.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot save the timeline of stream " + streamId, e);
        }
    }

    private static void bind(PreparedStatement s, String streamId, StreamTimeline t) throws SQLException {
        s.setLong(1, t.session());
        s.setLong(2, t.nextUtterance());
        s.setLong(3, t.lastFinalEndMs());
        TimelinePoint end = t.end();
        if (end == null) {
            for (int i = 4; i <= 8; i++) {
                s.setNull(i, i == 8 ? java.sql.Types.INTEGER : java.sql.Types.BIGINT);
            }
        } else {
            s.setLong(4, end.endMs());
            s.setLong(5, end.lastArrivalEpochMs());
            s.setLong(6, end.nextPts());
            s.setLong(7, end.timescale());
            s.setInt(8, end.ptsBits());
        }
        s.setLong(9, t.endedAtEpochMs());
        s.setString(10, streamId);
    }
}
