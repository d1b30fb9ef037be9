package io.livecap.asr;

/**
 * One stream's recogniser. Not thread-safe: its session feeds it from a single thread, and listener callbacks
 * happen synchronously inside {@link #acceptAudio} and {@link #finish}.
 *
 * <p>Word times are milliseconds of audio since the first sample this stream accepted.
 */
public interface RecognitionStream extends AutoCloseable {

    /**
     * Feeds {@code length} samples of 16 kHz mono audio. While an utterance is in progress the stream reports a
     * partial at least every 300 ms of audio; at the end of an utterance (the engine's endpointing) it reports the
     * final.
     */
    void acceptAudio(short[] samples, int length);

    /** No more audio: reports the final of any utterance still open. The stream may not be fed afterwards. */
    void finish();

    /** Frees this stream's recogniser (native memory included). Idempotent; never throws. */
    @Override
    void close();
}
