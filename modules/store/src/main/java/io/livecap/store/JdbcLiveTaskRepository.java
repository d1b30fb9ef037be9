package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.lifecycle.AssetDelivery;
import io.livecap.lifecycle.LiveTask;
import io.livecap.lifecycle.LiveTaskRepository;
import io.livecap.lifecycle.LiveTaskState;
import io.livecap.lifecycle.TaskAlert;
import io.livecap.reach.OutputFormat;
import io.livecap.reach.Secret;
import io.livecap.reach.TaskKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Live tasks and their audit trail in the database (tables {@code live_task}, {@code task_audit}). */
public final class JdbcLiveTaskRepository implements LiveTaskRepository {

    private static final String COLUMNS = "region, task_id, entry_id, partner_id, catalog_item_id,"
            + " scheduled_event_id, start_date, end_date, refund_window_s, start_buffer_s, end_buffer_s, output_format,"
            + " language, dictionary, access_key, state, refund_checked, caption_asset_id, accuracy, error, alerts,"
            + " asset_pending_add, asset_content_set_at";

    private final Database db;

    public JdbcLiveTaskRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean insert(LiveTask task) {
        String sql = "INSERT INTO live_task (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connection(); PreparedStatement insert = c.prepareStatement(sql)) {
            bind(insert, task);
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Database.duplicateKey(e)) {
                return false; // known already: another poll, or another node, registered it first
            }
            throw new StoreException("cannot store " + task, e);
        }
    }

    @Override
    public void save(LiveTask task) {
        String sql = "UPDATE live_task SET access_key = ?, state = ?, refund_checked = ?, caption_asset_id = ?,"
                + " accuracy = ?, error = ?, alerts = ?, asset_pending_add = ?, asset_content_set_at = ?,"
                + " updated_at = CURRENT_TIMESTAMP WHERE region = ? AND task_id = ?";
        try (Connection c = db.connection(); PreparedStatement update = c.prepareStatement(sql)) {
            update.setString(1, task.accessKey() == null ? null : task.accessKey().reveal());
            update.setString(2, task.state().name());
            update.setBoolean(3, task.refundChecked());
            update.setString(4, task.captionAssetId());
            if (task.accuracy() == null) {
                update.setNull(5, Types.INTEGER);
            } else {
                update.setInt(5, task.accuracy());
            }
            update.setString(6, task.error());
            update.setString(7, String.join(",", task.alerts().stream().map(TaskAlert::wireName).sorted().toList()));
            update.setString(8, task.delivery().pendingAdd());
            update.setTimestamp(9, timestamp(task.delivery().contentSetAt()));
            update.setString(10, task.key().region());
            update.setLong(11, task.key().id());
            if (update.executeUpdate() != 1) {
                throw new StoreException("cannot save " + task + ": not in the database", null);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot save " + task, e);
        }
    }

    @Override
    public Optional<LiveTask> find(TaskKey key) {
        List<LiveTask> found = query("SELECT " + COLUMNS + " FROM live_task WHERE region = ? AND task_id = ?",
                key.region(), key.id());
        return found.stream().findFirst();
    }

    @Override
    public List<LiveTask> active() {
        return query("SELECT " + COLUMNS + " FROM live_task WHERE state NOT IN ('READY', 'ERROR', 'CANCELLED')"
                + " ORDER BY start_date, region, task_id");
    }

    @Override
    public void audit(TaskKey key, String kind, String detail) {
        try (Connection c = db.connection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO task_audit (region, task_id, kind, detail) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, key.region());
            insert.setLong(2, key.id());
            insert.setString(3, kind);
            insert.setString(4, detail.length() > 2000 ? detail.substring(0, 2000) : detail);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot audit task " + key, e);
        }
    }

    @Override
    public List<String> auditTrail(TaskKey key) {
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(
                "SELECT kind, detail FROM task_audit WHERE region = ? AND task_id = ? ORDER BY id")) {
            query.setString(1, key.region());
            query.setLong(2, key.id());
            List<String> trail = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    trail.add(rows.getString(1) + ": " + rows.getString(2));
                }
            }
            return trail;
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit trail of task " + key, e);
        }
    }

    private List<LiveTask> query(String sql, Object... params) {
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setObject(i + 1, params[i]);
            }
            List<LiveTask> tasks = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tasks.add(read(rows));
                }
            }
            return tasks;
        } catch (SQLException e) {
            throw new StoreException("cannot read live tasks", e);
        }
    }

    private static void bind(PreparedStatement s, LiveTask t) throws SQLException {
        s.setString(1, t.key().region());
        s.setLong(2, t.key().id());
        s.setString(3, t.entryId());
        s.setLong(4, t.partnerId());
        s.setLong(5, t.catalogItemId());
        s.setLong(6, t.scheduledEventId());
        s.setTimestamp(7, Timestamp.from(t.startDate()));
        s.setTimestamp(8, Timestamp.from(t.endDate()));
        s.setLong(9, t.refundWindow().toSeconds());
        s.setLong(10, t.startBuffer().toSeconds());
        s.setLong(11, t.endBuffer().toSeconds());
        s.setInt(12, t.outputFormat().code());
        s.setString(13, t.language());
        s.setString(14, t.dictionary());
        s.setString(15, t.accessKey() == null ? null : t.accessKey().reveal());
        s.setString(16, t.state().name());
        s.setBoolean(17, t.refundChecked());
        s.setString(18, t.captionAssetId());
        if (t.accuracy() == null) {
            s.setNull(19, Types.INTEGER);
        } else {
            s.setInt(19, t.accuracy());
        }
        s.setString(20, t.error());
        s.setString(21, String.join(",", t.alerts().stream().map(TaskAlert::wireName).sorted().toList()));
        s.setString(22, t.delivery().pendingAdd());
        s.setTimestamp(23, timestamp(t.delivery().contentSetAt()));
    }

    private static Timestamp timestamp(java.time.Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static LiveTask read(ResultSet r) throws SQLException {
        String key = r.getString("access_key");
        Integer accuracy = r.getObject("accuracy", Integer.class);
        Timestamp contentSetAt = r.getTimestamp("asset_content_set_at");
        Set<TaskAlert> alerts = Arrays.stream(r.getString("alerts").split(",")).filter(a -> !a.isBlank())
                .map(TaskAlert::of).collect(Collectors.toSet());
        return new LiveTask(new TaskKey(r.getString("region"), r.getLong("task_id")), r.getString("entry_id"),
                r.getLong("partner_id"), r.getLong("catalog_item_id"), r.getLong("scheduled_event_id"),
                r.getTimestamp("start_date").toInstant(), r.getTimestamp("end_date").toInstant(),
                Duration.ofSeconds(r.getLong("refund_window_s")), Duration.ofSeconds(r.getLong("start_buffer_s")),
                Duration.ofSeconds(r.getLong("end_buffer_s")), OutputFormat.of(r.getInt("output_format")),
                r.getString("language"), r.getString("dictionary"), key == null ? null : Secret.of(key),
                LiveTaskState.valueOf(r.getString("state")), r.getBoolean("refund_checked"),
                r.getString("caption_asset_id"), accuracy, r.getString("error"), alerts,
                new AssetDelivery(r.getString("asset_pending_add"), contentSetAt == null ? null : contentSetAt.toInstant()));
    }
}
