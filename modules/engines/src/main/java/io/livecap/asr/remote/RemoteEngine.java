package io.livecap.asr.remote;

import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.asr.WorkerPoolView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Recognition on ASR workers: each stream is one vosk-server protocol session on the least loaded healthy worker
 * of the pool ({@code engine.remote_endpoints}), moved to another with its audio since the last final when its
 * worker dies. Holds no model here; the workers do.
 */
public final class RemoteEngine implements SpeechEngine {

    private static final Logger log = LoggerFactory.getLogger(RemoteEngine.class);

    private final RemoteSettings settings;
    private final WorkerPool pool;

    RemoteEngine(RemoteSettings settings) {
        this.settings = settings;
        this.pool = new WorkerPool(settings);
        log.info("remote engine: {} endpoint(s): {}", settings.endpoints().size(), pool.describe());
    }

    @Override
    public String name() {
        return "remote";
    }

    /** Takes a worker now, so a stream on a full or dead pool fails at once with the pool's state. */
    @Override
    public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        return new RemoteStream(pool, settings, listener);
    }

    @Override
    public Optional<WorkerPoolView> workerPool() {
        return Optional.of(pool);
    }

    /** The pool as the last probes and streams saw it (logs, tests). */
    public String describePool() {
        return pool.describe();
    }

    @Override
    public void close() {
        pool.close();
    }
}
