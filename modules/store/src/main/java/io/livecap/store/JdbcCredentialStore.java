package io.livecap.store;

import io.livecap.auth.CredentialStore;
import io.livecap.auth.Grant;
import io.livecap.auth.Role;
import io.livecap.delivery.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link CredentialStore} in the {@code credential} table. */
public final class JdbcCredentialStore implements CredentialStore {

    private static final String COLUMNS = "id, role, stream_id, label, created_at";

    private final Database db;

    public JdbcCredentialStore(Database db) {
        this.db = db;
    }

    @Override
    public void save(Grant grant, String secretHash) {
        String sql = "INSERT INTO credential (id, secret_hash, role, stream_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connection(); PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setString(1, grant.id());
            insert.setString(2, secretHash);
            insert.setString(3, grant.role().wireName());
            insert.setString(4, grant.streamId());
            insert.setString(5, grant.label());
            insert.setTimestamp(6, Timestamp.from(grant.createdAt()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot store credential " + grant.id(), e);
        }
    }

    @Override
    public Optional<Grant> findByHash(String secretHash) {
        List<Grant> found = query("SELECT " + COLUMNS + " FROM credential WHERE secret_hash = ? AND revoked_at IS NULL",
                secretHash);
        return found.stream().findFirst();
    }

    @Override
    public List<Grant> list() {
        return query("SELECT " + COLUMNS + " FROM credential WHERE revoked_at IS NULL ORDER BY created_at, id", null);
    }

    @Override
    public Optional<Grant> find(String id) {
        return query("SELECT " + COLUMNS + " FROM credential WHERE id = ? AND revoked_at IS NULL", id)
                .stream().findFirst();
    }

    @Override
    public boolean revoke(String id) {
        String sql = "UPDATE credential SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
        try (Connection c = db.connection(); PreparedStatement update = c.prepareStatement(sql)) {
            update.setTimestamp(1, Timestamp.from(Instant.now()));
            update.setString(2, id);
            return update.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("cannot revoke credential " + id, e);
        }
    }

    private List<Grant> query(String sql, String parameter) {
        try (Connection c = db.connection(); PreparedStatement query = c.prepareStatement(sql)) {
            if (parameter != null) {
                query.setString(1, parameter);
            }
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    grants.add(new Grant(rows.getString(1), Role.parse(rows.getString(2)), rows.getString(3),
                            rows.getString(4), rows.getTimestamp(5).toInstant()));
                }
            }
            return grants;
        } catch (SQLException e) {
            throw new StoreException("cannot read credentials", e);
        }
    }
}
