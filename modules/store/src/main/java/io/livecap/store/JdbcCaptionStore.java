package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.delivery.CaptionStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.captions.Caption;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
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
                + " text, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
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
            insert.executeUpdate();
        } catch (SQLIntegrityConstraintViolationException e) {
            Caption existing = finalsAfter(fin.streamId(), fin.seq() - 1).stream().findFirst().orElse(null);
            if (!fin.equals(existing)) {
                throw new StoreException("stream " + fin.streamId() + " already has a different final with seq "
                        + fin.seq(), e);
            }
        } catch (SQLException | JsonProcessingException e) {
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
        try (Connection c = db.connection(); PreparedStatement merge = c.prepareStatement(
                "MERGE INTO stream_seq (stream_id, last_seq) KEY (stream_id) VALUES (?, ?)")) {
            merge.setString(1, streamId);
            merge.setLong(2, seq);
            merge.executeUpdate();
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
}
