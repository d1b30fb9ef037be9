package io.livecap.ingest;

/**
 * Hears what a {@link PushDecoder} or {@link PullDecoder} decodes: 16 kHz stereo s16le PCM chunks whose pts are in
 * the stream's own timescale, wrapped as the source wraps them. Called from the decoder's reader thread, in order;
 * nothing is called after {@code close()} returns.
 */
public interface DecodedAudioListener {

    int SAMPLE_RATE = 16_000;
    /** Stereo is kept so audio health can judge the channels; mono sources arrive as dual mono. */
    int CHANNELS = 2;

    /** Interleaved PCM of one decoded frame (typically 20-64 ms). */
    void onAudio(Chunk pcm);

    /** The source stopped and came back; called just before the first {@link #onAudio} after it. */
    void onGap(MediaGap gap);

    /** Pull only: the source was lost and reconnecting begins (audio may come back: then {@link #onGap}). */
    default void onSourceLost(String reason) {
    }

    /** Push only: every byte written before {@code endOfInput()} was decoded and delivered. */
    void onEnd();

    /** The decoder died or the input is not decodable; the stream is over. */
    void onFailure(String message);
}
