package io.livecap.asr;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine that counts its open recognisers: a recogniser is the per-stream memory (a pocketsphinx decoder is
 * about 87 MB), so how many are open is what an operator watches to see that idle streams hold none.
 */
public final class CountingEngine implements SpeechEngine {

    private final SpeechEngine engine;
    private final AtomicInteger open = new AtomicInteger();

    public CountingEngine(SpeechEngine engine) {
        this.engine = engine;
    }

    /** Recognisers opened through this engine and not yet closed. */
    public int openRecognizers() {
        return open.get();
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        RecognitionStream stream = engine.openStream(options, listener);
        open.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return new RecognitionStream() {
            @Override
            public void acceptAudio(short[] samples, int length) {
                stream.acceptAudio(samples, length);
            }

            @Override
            public void finish() {
                stream.finish();
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    try {
                        stream.close();
                    } finally {
                        open.decrementAndGet();
                    }
                }
            }
        };
    }

    @Override
    public Optional<WorkerPoolView> workerPool() {
        return engine.workerPool();
    }

    @Override
    public void close() {
        engine.close();
    }
}
