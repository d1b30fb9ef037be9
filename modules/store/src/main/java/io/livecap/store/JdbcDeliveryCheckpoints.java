package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.delivery.DeliveryCheckpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@link DeliveryCheckpoints} in the {@code caption_delivery} table; each confirm commits before it returns. */
public final class JdbcDeliveryCheckpoints implements DeliveryCheckpoints {

    // the WHERE keeps a checkpoint from moving back, whoever writes last
    private static final String ADVANCE = "UPDATE caption_delivery SET confirmed_seq = ?, updated_at = CURRENT_TIMESTAMP"
            + " WHERE stream_id = ? AND destination = ? AND confirmed_seq < ?";
    private static final String INSERT = "INSERT INTO caption_delivery (stream_id, destination, confirmed_seq)"
            + " VALUES (?, ?, ?)";

    private final Database db;

    public JdbcDeliveryCheckpoints(Database db) {
        this.db = db;
    }

    @Override
    public long confirmedSeq(String streamId, String destination) {
        String sql = "SELECT confirmed_seq FROM caption_delivery WHERE stream_id = ? AND destination = ?";
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, streamId);
            query.setString(2, destination);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the delivery checkpoint of stream " + streamId, e);
        }
    }

    @Override
    public void confirm(String streamId, String destination, long seq) {
        try (Connection c = db.connection()) {
            if (advance(c, streamId, destination, seq) > 0) {
                return;
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, streamId);
                insert.setString(2, destination);
                insert.setLong(3, seq);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!Database.duplicateKey(e)) {
                    throw e;
                }
                advance(c, streamId, destination, seq); // the row was there (at or past seq) or just appeared
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store the delivery checkpoint " + seq + " of stream " + streamId, e);
        }
    }

    private static int advance(Connection c, String streamId, String destination, long seq) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(ADVANCE)) {
            update.setLong(1, seq);
            update.setString(2, streamId);
            update.setString(3, destination);
            update.setLong(4, seq);
            return update.executeUpdate();
        }
    }
}
