package io.livecap.asr;

import java.util.Optional;

/**
 * A speech recogniser whose model is loaded once and shared by every stream.
 *
 * <p>Implementations must be safe to call {@link #openStream} from any thread; each {@link RecognitionStream}
 * they return is used by one thread at a time (its session's worker).
 */
public interface SpeechEngine extends AutoCloseable {

    /** Audio that reaches {@link RecognitionStream#acceptAudio} is always 16 kHz mono signed 16-bit. */
    int SAMPLE_RATE = 16_000;

    /** The name used in configuration and logs: {@code vosk}, {@code pocketsphinx}, {@code sphinx4}. */
    String name();

    /** Opens a recogniser for one stream; results go to {@code listener} on the thread that feeds audio. */
    RecognitionStream openStream(StreamOptions options, RecognitionListener listener);

    /** The engine's ASR workers, for engines that run recognition elsewhere (remote); empty for the others. */
    default Optional<WorkerPoolView> workerPool() {
        return Optional.empty();
    }

    /** Frees the shared model. Streams still open may fail afterwards. */
    @Override
    void close();
}
