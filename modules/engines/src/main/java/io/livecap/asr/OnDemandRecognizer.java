package io.livecap.asr;

import java.util.List;

/**
 * A stream's recogniser that exists only while the stream has audio: the engine's recogniser is opened at the first
 * audio, {@link #release released} when the stream has been quiet a while, and opened afresh when audio comes back.
 *
 * <p>All of it is one stream to its listener: each recogniser counts its word times from its own first sample, so
 * the times of a later one are moved on by the audio its predecessors heard; the times the listener sees are ms since
 * the first sample of the whole stream, as {@link RecognitionStream} promises. Used from one thread, like any
 * recogniser.
 */
public final class OnDemandRecognizer implements RecognitionStream {

    private final SpeechEngine engine;
    private final StreamOptions options;
    private final RecognitionListener listener;
    private volatile RecognitionStream current; // volatile: isOpen is read by other threads (the operator API)
    private long samplesHeard; // by every recogniser so far
    private int opened;

    public OnDemandRecognizer(SpeechEngine engine, StreamOptions options, RecognitionListener listener) {
        this.engine = engine;
        this.options = options;
        this.listener = listener;
    }

    @Override
    public void acceptAudio(short[] samples, int length) {
        if (length <= 0) {
            return; // nothing to hear is no reason to allocate a recogniser
        }
        if (current == null) {
            current = engine.openStream(options, shifted(samplesHeard * 1000 / SpeechEngine.SAMPLE_RATE));
            opened++;
        }
        current.acceptAudio(samples, length);
        samplesHeard += length;
    }

    /** The open recogniser reports its last final. Nothing is open when no audio came since the last release. */
    @Override
    public void finish() {
        if (current != null) {
            current.finish();
        }
    }

    /**
     * The stream has been quiet: the recogniser reports the utterance it has open, then frees its memory. The next
     * audio opens a new one. False when none was open.
     */
    public boolean release() {
        if (current == null) {
            return false;
        }
        try {
            current.finish();
        } finally {
            current.close();
            current = null;
        }
        return true;
    }

    /** Any thread. */
    public boolean isOpen() {
        return current != null;
    }

    /** How many recognisers this stream has opened so far (1 for a stream that never went quiet). */
    public int timesOpened() {
        return opened;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    private RecognitionListener shifted(long offsetMs) {
        if (offsetMs == 0) {
            return listener;
        }
        return new RecognitionListener() {
            @Override
            public void onPartial(Hypothesis partial) {
                listener.onPartial(shift(partial, offsetMs));
            }

            @Override
            public void onFinal(Hypothesis fin) {
                listener.onFinal(shift(fin, offsetMs));
            }
        };
    }

    private static Hypothesis shift(Hypothesis h, long offsetMs) {
        List<RecognizedWord> words = h.words().stream().map(w -> new RecognizedWord(w.word(),
                w.startMs() + offsetMs, w.endMs() + offsetMs, w.confidence())).toList();
        return new Hypothesis(words, h.startMs() + offsetMs, h.endMs() + offsetMs);
    }
}
