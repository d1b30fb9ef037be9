package io.livecap.store;

import io.livecap.delivery.StoreException;
import io.livecap.session.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Leases in the {@code lease} table, the nodes' heartbeats in {@code cluster_node}. A claim locks the lease's row
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}: a row another node is claiming this instant is skipped, not waited
 * for) and takes it when it is free, expired or already ours. Every expiry is computed from the database's clock, so
 * the nodes' clocks need not agree. A heartbeat renews every lease of this node at once; a node trusts its own
 * leases only until its last successful renewal plus the TTL (measured on its monotonic clock from before that
 * renewal was sent), so a node cut off from the store stops acting before anyone else may start.
 */
public final class JdbcLeases implements Leases, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcLeases.class);
    /** Room for the clocks' rates to differ over one TTL. */
    private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private record Seen(String owner, long untilNanos) {
    }

    private final Database db;
    private final String nodeId;
    private final Duration ttl;
    private final Duration heartbeat;
    /** resource -> System.nanoTime() until which it is surely ours. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    /** resource -> another node's lease, not worth asking the store about again before it may have expired. */
    private final Map<String, Seen> others = new ConcurrentHashMap<>();
    private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
    private volatile int aliveNodes = 1;
    /** System.nanoTime() before the last heartbeat that the store took; readiness goes by it. */
    private volatile long lastRenewedNanos = System.nanoTime();
    /** Why the last heartbeat failed; null when it went through. */
    private volatile String heartbeatFailure;
    private volatile boolean draining;
    private volatile String role = NODE;
    private volatile Supplier<Load> load = () -> Load.NONE;
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    // its own thread: the heartbeat's may be stuck for the pool's connection timeout while the store is away
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-watch");
        t.setDaemon(true);
        return t;
    });

    public JdbcLeases(Database db, String nodeId, Duration ttl, Duration heartbeat) {
        this.db = db;
        this.nodeId = nodeId;
        this.ttl = ttl;
        this.heartbeat = heartbeat;
    }

    /**
     * Registers as an ASR worker rather than a node (before {@link #start}): it shows in /v1/cluster with its load
     * and is not counted when nodes share out tasks. A worker claims nothing.
     */
    public JdbcLeases asWorker() {
        this.role = WORKER;
        return this;
    }

    /** What this process carries, read at each heartbeat and written with it (/v1/cluster). */
    public JdbcLeases reportLoad(Supplier<Load> load) {
        this.load = load;
        return this;
    }

    /** Writes this node's first heartbeat and starts renewing. {@code address}: where the node serves. */
    public JdbcLeases start(String address) {
        try (Connection c = db.connection()) {
            Timestamp now = dbNow(c);
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE cluster_node SET address = ?, started_at = ?, heartbeat_at = ?, role = ?"
                    + " WHERE node_id = ?")) {
                update.setString(1, address);
                update.setTimestamp(2, now);
                update.setTimestamp(3, now);
                update.setString(4, role);
                update.setString(5, nodeId);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO cluster_node (node_id, address,"
                            + " started_at, heartbeat_at, role) VALUES (?, ?, ?, ?, ?)")) {
                        insert.setString(1, nodeId);
                        insert.setString(2, address);
                        insert.setTimestamp(3, now);
                        insert.setTimestamp(4, now);
                        insert.setString(5, role);
                        insert.executeUpdate();
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot register node " + nodeId, e);
        }
        if (role.equals(WORKER)) {
            log.info("ASR worker {} at {}: in the cluster's list, heartbeat every {} ms", nodeId, address,
                    heartbeat.toMillis());
        } else {
            log.info("node {} at {}: leases of {} s, renewed every {} ms", nodeId, address, ttl.toSeconds(),
                    heartbeat.toMillis());
        }
        renew(); // knows the other nodes from the start
        beat.scheduleWithFixedDelay(this::renew, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        long every = Math.max(100, Math.min(heartbeat.toMillis(), 1_000));
        watch.scheduleWithFixedDelay(this::dropUnrenewed, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Drops every lease and node row: for an embedded store, which one process opens at a time, so that whatever is
     * in it was left by a process that is gone (a restart must not wait a TTL for its own earlier leases).
     */
    public JdbcLeases forgetEarlierProcesses() {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            int stale = s.executeUpdate("DELETE FROM lease");
            s.executeUpdate("DELETE FROM cluster_node");
            if (stale > 0) {
                log.info("embedded store: dropped {} leases of an earlier process", stale);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot clear the leases of an earlier process", e);
        }
        return this;
    }

    /** Where the node serves, once its port is known. */
    public void announce(String address) {
        try (Connection c = db.connection(); PreparedStatement update = c.prepareStatement(
                "UPDATE cluster_node SET address = ? WHERE node_id = ?")) {
            update.setString(1, address);
            update.setString(2, nodeId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot register node " + nodeId, e);
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Claim claim(String resource) {
        long now = System.nanoTime();
        Long until = held.get(resource);
        if (until != null && until - now > 0) {
            return new Claim(true, nodeId);
        }
        Seen seen = others.get(resource);
        if (seen != null && seen.untilNanos() - now > 0) {
            return new Claim(false, seen.owner());
        }
        try {
            return claimInStore(resource);
        } catch (SQLException e) {
            // no answer from the store is no lease: acting without one could mean two owners
            log.warn("lease {}: the store did not answer ({}); not taken", resource, e.getMessage());
            return new Claim(false, "unknown");
        }
    }

    private Claim claimInStore(String resource) throws SQLException {
        long sent = System.nanoTime();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Timestamp now = dbNow(c);
                Timestamp expires = Timestamp.from(now.toInstant().plus(ttl));
                String owner = null;
                Timestamp ownerExpires = null;
                try (PreparedStatement lock = c.prepareStatement(
                        "SELECT owner, expires_at FROM lease WHERE resource = ? FOR UPDATE SKIP LOCKED")) {
                    lock.setString(1, resource);
                    try (ResultSet row = lock.executeQuery()) {
                        if (row.next()) {
                            owner = row.getString(1);
                            ownerExpires = row.getTimestamp(2);
                        }
                    }
                }
                if (owner == null) {
                    // no row, or one another node has locked to claim it right now
                    if (insert(c, resource, now, expires)) {
                        c.commit();
                        return taken(resource, sent, null);
                    }
                    c.rollback();
                    return busy(resource, c, sent);
                }
                if (owner.equals(nodeId) || !ownerExpires.after(now)) {
                    try (PreparedStatement take = c.prepareStatement("UPDATE lease SET owner = ?, expires_at = ?,"
                            + " acquired_at = CASE WHEN owner = ? THEN acquired_at ELSE ? END,"
                            + " generation = CASE WHEN owner = ? THEN generation ELSE generation + 1 END"
                            + " WHERE resource = ?")) {
                        take.setString(1, nodeId);
                        take.setTimestamp(2, expires);
                        take.setString(3, nodeId);
                        take.setTimestamp(4, now);
                        take.setString(5, nodeId);
                        take.setString(6, resource);
                        take.executeUpdate();
                    }
                    c.commit();
                    return taken(resource, sent, owner.equals(nodeId) ? null : owner);
                }
                c.commit();
                // ask again when it may have expired, or after a heartbeat: its owner may hand it back sooner
                long left = Duration.between(now.toInstant(), ownerExpires.toInstant()).toNanos();
                others.put(resource, new Seen(owner, sent + Math.min(left, heartbeat.toNanos())));
                return new Claim(false, owner);
            } catch (SQLException e) {
                c.rollback();
                if (Database.duplicateKey(e)) {
                    return busy(resource, c, sent); // another node inserted it first
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Claim taken(String resource, long sent, String from) {
        held.put(resource, sent + ttl.toNanos() - MARGIN_NANOS);
        others.remove(resource);
        if (from != null) {
            log.info("lease {}: taken over from node {} (its lease expired)", resource, from);
        } else {
            log.debug("lease {}: held", resource);
        }
        return new Claim(true, nodeId);
    }

    /** Another node holds or is taking the lease: who, as far as the store says now. */
    private Claim busy(String resource, Connection c, long sent) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT owner FROM lease WHERE resource = ?")) {
            query.setString(1, resource);
            try (ResultSet row = query.executeQuery()) {
                String owner = row.next() ? row.getString(1) : "unknown";
                c.commit();
                // ask again after a heartbeat, not on every tick
                others.put(resource, new Seen(owner, sent + heartbeat.toNanos()));
                return new Claim(owner.equals(nodeId), owner);
            }
        }
    }

    private boolean insert(Connection c, String resource, Timestamp now, Timestamp expires) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO lease (resource, owner, expires_at,"
                + " acquired_at, generation) SELECT ?, ?, ?, ?, 1 WHERE NOT EXISTS"
                + " (SELECT 1 FROM lease WHERE resource = ?)")) {
            insert.setString(1, resource);
            insert.setString(2, nodeId);
            insert.setTimestamp(3, expires);
            insert.setTimestamp(4, now);
            insert.setString(5, resource);
            return insert.executeUpdate() == 1;
        }
    }

    @Override
    public boolean holds(String resource) {
        Long until = held.get(resource);
        return until != null && until - System.nanoTime() > 0;
    }

    @Override
    public int heldCount(String prefix) {
        return (int) held.keySet().stream().filter(r -> r.startsWith(prefix)).count();
    }

    @Override
    public int aliveNodes() {
        return aliveNodes;
    }

    @Override
    public void release(String resource) {
        if (held.remove(resource) == null) {
            return;
        }
        try (Connection c = db.connection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM lease WHERE resource = ? AND owner = ?")) {
            delete.setString(1, resource);
            delete.setString(2, nodeId);
            delete.executeUpdate();
            log.debug("lease {}: released", resource);
        } catch (SQLException e) {
            log.warn("lease {}: could not release it ({}); it expires in {} s", resource, e.getMessage(),
                    ttl.toSeconds());
        }
    }

    @Override
    public void onLost(Consumer<String> listener) {
        lostListeners.add(listener);
    }

    /** The heartbeat: this node's row, then every lease it still holds, in one statement. */
    void renew() {
        long sent = System.nanoTime();
        Set<String> ours = new HashSet<>();
        Load carried = currentLoad();
        try (Connection c = db.connection()) {
            Timestamp now = dbNow(c);
            try (PreparedStatement node = c.prepareStatement("UPDATE cluster_node SET heartbeat_at = ?,"
                    + " live_streams = ?, open_sessions = ?, max_sessions = ? WHERE node_id = ?")) {
                node.setTimestamp(1, now);
                node.setInt(2, carried.liveStreams());
                node.setInt(3, carried.openSessions());
                node.setInt(4, carried.maxSessions());
                node.setString(5, nodeId);
                node.executeUpdate();
            }
            // only leases not yet expired: one that expired may already be another node's to take
            try (PreparedStatement renew = c.prepareStatement(
                    "UPDATE lease SET expires_at = ? WHERE owner = ? AND expires_at > ?")) {
                renew.setTimestamp(1, Timestamp.from(now.toInstant().plus(ttl)));
                renew.setString(2, nodeId);
                renew.setTimestamp(3, now);
                renew.executeUpdate();
            }
            try (PreparedStatement alive = c.prepareStatement(
                    "SELECT COUNT(*) FROM cluster_node WHERE heartbeat_at > ? AND role = ?")) {
                // workers take no task: counting them would shrink each node's fair share
                alive.setTimestamp(1, Timestamp.from(now.toInstant().minus(ttl)));
                alive.setString(2, NODE);
                try (ResultSet row = alive.executeQuery()) {
                    row.next();
                    aliveNodes = Math.max(1, row.getInt(1));
                }
            }
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT resource FROM lease WHERE owner = ? AND expires_at > ?")) {
                query.setString(1, nodeId);
                query.setTimestamp(2, now);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ours.add(rows.getString(1));
                    }
                }
            }
            for (String resource : List.copyOf(held.keySet())) {
                if (!ours.contains(resource) && reassert(c, resource, now)) {
                    ours.add(resource);
                }
            }
        } catch (SQLException | RuntimeException e) {
            // the leases run out on their own (claim() stops trusting them): nothing to undo here
            if (heartbeatFailure == null) {
                log.warn("heartbeat failed ({}); leases held until {} s after the last renewal", e.getMessage(),
                        ttl.toSeconds());
            }
            heartbeatFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return;
        }
        if (heartbeatFailure != null) {
            log.info("heartbeat went through again");
            heartbeatFailure = null;
        }
        lastRenewedNanos = sent;
        long until = sent + ttl.toNanos() - MARGIN_NANOS;
        for (String resource : List.copyOf(held.keySet())) {
            if (ours.contains(resource)) {
                held.put(resource, until);
            } else if (held.remove(resource) != null) {
                log.warn("lease {}: lost (not renewed in time); another node may hold it now", resource);
                lostListeners.forEach(l -> l.accept(resource));
            }
        }
    }

    /** The load as its supplier says now; a failing supplier must not stop the heartbeat. */
    private Load currentLoad() {
        try {
            Load now = load.get();
            return now == null ? Load.NONE : now;
        } catch (RuntimeException e) {
            log.debug("load not known for this heartbeat: {}", e.toString());
            return Load.NONE;
        }
    }

    /**
     * A lease not renewed in time while other nodes were alive (at the last heartbeat that went through) may be
     * another node's by now (one that still reaches the store, in a network split): this node stops acting on it at
     * once (its task's session and push stop, the event goes on) rather than when the store answers again. A node
     * that was alone keeps captioning through the outage: nobody could have claimed its leases but a node started
     * meanwhile, and it takes them back when the store is back ({@link #reassert}).
     */
    private void dropUnrenewed() {
        if (aliveNodes <= 1) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<String, Long> lease : List.copyOf(held.entrySet())) {
            if (lease.getValue() - now <= 0 && held.remove(lease.getKey(), lease.getValue())) {
                log.warn("lease {}: not renewed within the TTL ({}) and {} other node(s) could claim it: no longer"
                        + " acting on it", lease.getKey(), heartbeatFailure == null ? "heartbeat late"
                        : "store unreachable: " + heartbeatFailure, aliveNodes - 1);
                lostListeners.forEach(l -> l.accept(lease.getKey()));
            }
        }
    }

    /**
     * A lease this node still acts on that expired in the store while the store was away (an outage longer than the
     * TTL) is taken back if its row still names this node: every claim by another node writes its own name into the
     * row (and a release deletes it), so an unchanged owner proves that nobody else held it meanwhile, and the
     * owner check in the UPDATE makes taking it back atomic against a claim. Only then does the node carry on
     * without a break; otherwise the lease is lost and the task is abandoned (its new owner resumes it).
     */
    private boolean reassert(Connection c, String resource, Timestamp now) throws SQLException {
        try (PreparedStatement take = c.prepareStatement(
                "UPDATE lease SET expires_at = ? WHERE resource = ? AND owner = ?")) {
            take.setTimestamp(1, Timestamp.from(now.toInstant().plus(ttl)));
            take.setString(2, resource);
            take.setString(3, nodeId);
            if (take.executeUpdate() == 0) {
                return false;
            }
        }
        log.warn("lease {}: it expired while the store was away, but nobody took it: re-asserted", resource);
        return true;
    }

    @Override
    public List<String> notReady() {
        List<String> reasons = new ArrayList<>();
        if (draining) {
            reasons.add("draining: handing its leases over to the other nodes");
        }
        String failure = heartbeatFailure;
        if (failure != null) {
            reasons.add("store unreachable: the last heartbeat failed (" + failure + ")");
        }
        long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRenewedNanos);
        if (since > ttl.toMillis()) {
            reasons.add("lease heartbeat lost: last renewed " + since + " ms ago (lease TTL " + ttl.toMillis()
                    + " ms); its leases may be another node's now");
        }
        return reasons;
    }

    /**
     * The node starts draining: it leaves the list of nodes (its row goes; the heartbeat only renews rows, so it
     * stays gone), so the other nodes' fair share grows at their next heartbeat and they take whatever this node
     * hands back at once; the leases it still holds are renewed until released. Readiness says draining.
     */
    public void drain() {
        draining = true;
        try (Connection c = db.connection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM cluster_node WHERE node_id = ?")) {
            delete.setString(1, nodeId);
            delete.executeUpdate();
            log.info("node {} draining: left the cluster's nodes, {} leases to hand over", nodeId, held.size());
        } catch (SQLException e) {
            log.warn("node {} draining: could not leave the list of nodes ({})", nodeId, e.getMessage());
        }
    }

    @Override
    public ClusterView view() {
        try (Connection c = db.connection()) {
            Timestamp now = dbNow(c);
            List<NodeInfo> nodes = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                    "SELECT node_id, address, started_at, heartbeat_at, role, live_streams, open_sessions,"
                            + " max_sessions FROM cluster_node ORDER BY role, node_id")) {
                while (rows.next()) {
                    Instant beat = rows.getTimestamp(4).toInstant();
                    nodes.add(new NodeInfo(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                            beat, beat.plus(ttl).isAfter(now.toInstant()), rows.getString(5),
                            new Load(rows.getInt(6), rows.getInt(7), rows.getInt(8))));
                }
            }
            List<LeaseInfo> leases = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT resource, owner, expires_at, acquired_at, generation"
                    + " FROM lease WHERE expires_at > ? ORDER BY resource")) {
                s.setTimestamp(1, now);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        leases.add(new LeaseInfo(rows.getString(1), rows.getString(2),
                                rows.getTimestamp(3).toInstant(), rows.getTimestamp(4).toInstant(), rows.getLong(5)));
                    }
                }
            }
            return new ClusterView(nodeId, ttl.toMillis(), now.toInstant(), nodes, leases);
        } catch (SQLException e) {
            throw new StoreException("cannot read the cluster's nodes and leases", e);
        }
    }

    /** Stops the heartbeat and nothing else, as a killed node would (tests). */
    void stopRenewing() {
        beat.shutdownNow();
        watch.shutdownNow();
    }

    /** Stops renewing and hands every lease back, so another node can take over at once; the node's row goes. */
    @Override
    public void close() {
        beat.shutdownNow();
        watch.shutdownNow();
        try {
            beat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        held.clear();
        try (Connection c = db.connection()) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lease WHERE owner = ?")) {
                delete.setString(1, nodeId);
                int released = delete.executeUpdate();
                log.info("node {} leaving: {} leases handed back", nodeId, released);
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM cluster_node WHERE node_id = ?")) {
                delete.setString(1, nodeId);
                delete.executeUpdate();
            }
        } catch (SQLException e) {
            log.warn("node {} leaving: could not hand its leases back ({}); they expire in {} s", nodeId,
                    e.getMessage(), ttl.toSeconds());
        }
    }

    private static Timestamp dbNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            row.next();
            return row.getTimestamp(1);
        }
    }
}
