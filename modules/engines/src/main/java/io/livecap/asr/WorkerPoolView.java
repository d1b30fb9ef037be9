package io.livecap.asr;

import java.util.List;

/**
 * A read-only look at an engine's pool of ASR workers (the {@code remote} engine's), as this node sees it now: for
 * {@code GET /v1/cluster}. Engines without workers have none ({@link SpeechEngine#workerPool()} is empty).
 */
public interface WorkerPoolView {

    /** Every worker the pool knows now, in a stable order (by endpoint, then address). */
    List<WorkerState> workers();

    /**
     * One worker.
     *
     * @param endpoint as configured ({@code engine.remote_endpoints}), e.g. ws://asr-workers:8080/v1/vosk
     * @param address  the address it is reached at (one of the name's addresses), or the endpoint's literal host
     * @param up       it answered its last probe (and no stream has seen it fail since)
     * @param reason   why it is down, or "up", "full", "up (announces no capacity)"
     * @param open     sessions open on it as best known (its own count, or this node's)
     * @param capacity sessions it takes: -1 not announced, 0 no cap
     * @param ours     this node's streams on it
     * @param load     0 idle .. 1 full (against 64 when it announces no capacity)
     */
    record WorkerState(String endpoint, String address, boolean up, String reason, int open, int capacity, int ours,
                       double load) {
    }
}
