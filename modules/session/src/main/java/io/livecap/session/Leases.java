package io.livecap.session;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Who owns what among the nodes on one database: at most one node holds a resource's lease at a time (a REACH Live
 * task, {@code task:<region>/<id>}; a stream id, {@code stream:<id>}), renewed by its heartbeat and free for another
 * node once it has not been renewed for the TTL. Only the holder acts on the resource. Thread-safe.
 */
public interface Leases {

    /** This node's name, in leases, logs and /v1/cluster. */
    String nodeId();

    /** Holds (keeping or taking) the lease if it is free, expired or already this node's; says who holds it. */
    Claim claim(String resource);

    /** Whether this node holds the lease now, as far as it knows without asking the store. */
    boolean holds(String resource);

    /** How many leases this node holds whose resource starts with {@code prefix} ("task:", "stream:"). */
    int heldCount(String prefix);

    /** Nodes with a heartbeat within the TTL, this one included (at least 1), as of the last heartbeat. */
    int aliveNodes();

    /** Gives the lease up, if this node holds it (the work on it is done, or the node stops). */
    void release(String resource);

    /** Called with a resource whose lease this node lost (not renewed in time; another node may now hold it). */
    void onLost(Consumer<String> listener);

    /**
     * Why this node should not be sent work now (readiness): the store did not take its last heartbeat, its leases
     * went unrenewed past the TTL, it is draining. Empty when ready.
     */
    default List<String> notReady() {
        return List.of();
    }

    /** The nodes that have a heartbeat in the store, and the leases they hold, for /v1/cluster. */
    ClusterView view();

    /** The lease on a resource after a claim: {@code mine}, or held by {@code owner}. */
    record Claim(boolean mine, String owner) {
    }

    /**
     * A process on the store: {@code role} {@link #NODE} or {@link #WORKER}; its load as of its last heartbeat.
     */
    record NodeInfo(String nodeId, String address, Instant startedAt, Instant heartbeatAt, boolean alive, String role,
                    Load load) {
    }

    /** A node: drives REACH tasks and streams, holds leases. */
    String NODE = "node";
    /** An ASR worker ({@code serve --role worker}): serves /v1/vosk sessions, holds no lease. */
    String WORKER = "worker";

    /**
     * What a process carries, written with each heartbeat.
     *
     * @param liveStreams  streams live on it (a worker's /v1/vosk sessions are not streams)
     * @param openSessions a worker's /v1/vosk sessions open; -1 on a node
     * @param maxSessions  a worker's cap ({@code limits.max_vosk_sessions}, 0 no cap); -1 on a node
     */
    record Load(int liveStreams, int openSessions, int maxSessions) {
        public static final Load NONE = new Load(0, -1, -1);
    }

    record LeaseInfo(String resource, String owner, Instant expiresAt, Instant acquiredAt, long generation) {
    }

    record ClusterView(String self, long ttlMs, Instant at, List<NodeInfo> nodes, List<LeaseInfo> leases) {
    }

    static String task(String region, long id) {
        return "task:" + region + "/" + id;
    }

    static String stream(String streamId) {
        return "stream:" + streamId;
    }

    /** One node and no store to share: everything is always this node's (Sessions used on their own, tests). */
    Leases SOLO = new Leases() {
        @Override
        public String nodeId() {
            return "solo";
        }

        @Override
        public Claim claim(String resource) {
            return new Claim(true, "solo");
        }

        @Override
        public boolean holds(String resource) {
            return true;
        }

        @Override
        public int heldCount(String prefix) {
            return 0;
        }

        @Override
        public int aliveNodes() {
            return 1;
        }

        @Override
        public void release(String resource) {
        }

        @Override
        public void onLost(Consumer<String> listener) {
        }

        @Override
        public ClusterView view() {
            return new ClusterView("solo", 0, Instant.now(), List.of(), List.of());
        }
    };
}
