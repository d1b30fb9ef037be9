package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An engine whose streams end an utterance at a short pause between words, so that a speaker who never pauses long
 * enough for the engine's own end of utterance (0.5 s of silence for pocketsphinx) still gets finals within
 * {@code maxDelayMs} of audio of its words, and finals that are the engine's own: decoded over the whole utterance
 * (pocketsphinx's second pass), not its partial hypothesis, which differs in about one word in ten.
 *
 * <p>Once the oldest word of the utterance under way ended {@code maxDelayMs} ago (or, if {@code blockChars} > 0, its
 * words fill a caption block), the stream ends the engine's utterance there and then: the engine decodes all the
 * audio it has, and the final goes on with its words before the middle of its latest pause of at least
 * {@link #MIN_PAUSE_MS} among the words heard {@link #SETTLE_MS} past (else its widest gap there). The audio after
 * that point is fed again to a new engine stream, which decodes the words after the pause afresh (from silence, as
 * at any utterance start), so no word is lost or sent twice. The cost: the audio after the pause (typically under a
 * second) is decoded twice, and the language model starts a new sentence at the pause.
 *
 * <p>Word times stay ms since the stream's first sample, whatever the number of engine streams under it.
 */
public final class UtteranceCutter implements SpeechEngine {

    /** A gap between words this long is a pause to cut at (flite's and people's phrase pauses are longer). */
    static final long MIN_PAUSE_MS = 120;
    /** The words before a cut must have been heard at least this far past, so the engine has their whole sound. */
    static final long SETTLE_MS = 300;
    /** Audio kept for replay: an utterance's words never go back further (pocketsphinx cuts at 20 s). */
    private static final int MAX_KEPT_SAMPLES = 30 * SAMPLE_RATE;

    private final SpeechEngine engine;
    private final long maxDelayMs;
    private final int blockChars;
    private final Runnable onCut;

    /**
     * @param maxDelayMs the longest a word waits for its final, in audio (> 0)
     * @param blockChars a caption block's characters (e.g. 2 x 42): an utterance that fills it is cut at once (0: no
     *                   such rule; the session's: a long sentence keeps the engine's own end where it can)
     */
    public UtteranceCutter(SpeechEngine engine, long maxDelayMs, int blockChars) {
        this(engine, maxDelayMs, blockChars, () -> {
        });
    }

    /** @param onCut told of each cut (a metric), on the stream's thread */
    public UtteranceCutter(SpeechEngine engine, long maxDelayMs, int blockChars, Runnable onCut) {
        this.onCut = onCut;
        if (maxDelayMs <= 0) {
            throw new IllegalArgumentException("maxDelayMs must be > 0, got " + maxDelayMs);
        }
        this.engine = engine;
        this.maxDelayMs = maxDelayMs;
        this.blockChars = blockChars;
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        return new Stream(options, listener);
    }

    /** The engine itself stays its owner's to close. */
    @Override
    public void close() {
    }

    private final class Stream implements RecognitionStream, RecognitionListener {

        private final StreamOptions options;
        private final RecognitionListener listener;
        private RecognitionStream inner;
        /** Where the inner stream's time 0 lies in this stream's time. */
        private long innerOffsetMs;
        /** Audio fed to the inner stream, from {@code keptFromMs} (this stream's time) on. */
        private short[] kept = new short[SAMPLE_RATE * 4];
        private int keptLength;
        private long keptFromMs;
        /** Set while the inner stream is finishing for a cut: its final keeps only the words before this. */
        private long cuttingAtMs = -1;
        /** A cut decided on a partial, made once the engine's acceptAudio has returned. */
        private long pendingCutMs = -1;
        private boolean replaying;
        private long cuts;

        /** How many utterances this stream has cut (the engine's own ends not counted). */
        long cuts() {
            return cuts;
        }

        Stream(StreamOptions options, RecognitionListener listener) {
            this.options = options;
            this.listener = listener;
            this.inner = engine.openStream(options, this);
        }

        @Override
        public void acceptAudio(short[] samples, int length) {
            keep(samples, length);
            inner.acceptAudio(samples, length);
            if (pendingCutMs >= 0) {
                // after the engine's acceptAudio has returned: finishing and closing it from inside its own
                // callback would free what it is still using (pocketsphinx's native audio block)
                long cut = pendingCutMs;
                pendingCutMs = -1;
                cutAt(cut);
            }
        }

        @Override
        public void finish() {
            inner.finish();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public void onPartial(Hypothesis partial) {
            Hypothesis shifted = shift(partial, innerOffsetMs);
            listener.onPartial(shifted);
            if (!replaying && cuttingAtMs < 0 && pendingCutMs < 0) {
                pendingCutMs = cutPoint(shifted.words(), shifted.endMs());
            }
        }

        @Override
        public void onFinal(Hypothesis fin) {
            Hypothesis shifted = shift(fin, innerOffsetMs);
            if (cuttingAtMs >= 0) {
                long cut = cutIn(shifted.words(), cuttingAtMs);
                cuttingAtMs = cut;
                List<RecognizedWord> before = shifted.words().stream()
                        .filter(w -> (w.startMs() + w.endMs()) / 2 < cut).toList();
                if (!before.isEmpty()) {
                    listener.onFinal(new Hypothesis(before, before.get(0).startMs(),
                            before.get(before.size() - 1).endMs()));
                }
                return;
            }
            listener.onFinal(shifted);
            pendingCutMs = -1; // the engine ended the utterance itself
            if (!shifted.words().isEmpty()) {
                forgetBefore(shifted.endMs()); // the engine's next utterance starts after its final
            }
        }

        /**
         * Whether the utterance whose words are {@code words}, heard to {@code heardMs}, is due for a cut: the latest
         * time the cut may lie at (its words heard {@link #SETTLE_MS} past), or -1. Where exactly is the final's to
         * say ({@link #cutIn}): partials' words absorb the pauses between them, the final's are segmented.
         */
        private long cutPoint(List<RecognizedWord> words, long heardMs) {
            if (words.size() < 2) {
                return -1;
            }
            boolean due = heardMs - words.get(0).endMs() >= maxDelayMs || blockChars > 0 && chars(words) >= blockChars;
            return due ? heardMs - SETTLE_MS : -1;
        }

        /**
         * The cut in the engine's final: the middle of its latest pause of at least {@link #MIN_PAUSE_MS} before
         * {@code limitMs}, else of its widest gap there, else after its last word that ends before it.
         */
        private long cutIn(List<RecognizedWord> words, long limitMs) {
            long latestPause = -1;
            long widest = Long.MIN_VALUE;
            long widestMiddle = -1;
            long lastEnd = -1;
            for (int i = 0; i < words.size(); i++) {
                long end = words.get(i).endMs();
                if (end > limitMs) {
                    break;
                }
                lastEnd = end;
                if (i + 1 < words.size()) {
                    long gap = words.get(i + 1).startMs() - end;
                    long middle = end + Math.max(0, gap) / 2;
                    if (middle > limitMs) {
                        break;
                    }
                    if (gap >= MIN_PAUSE_MS) {
                        latestPause = middle;
                    }
                    if (gap > widest) {
                        widest = gap;
                        widestMiddle = middle;
                    }
                }
            }
            return latestPause >= 0 ? latestPause : widestMiddle >= 0 ? widestMiddle : lastEnd >= 0 ? lastEnd : limitMs;
        }

        /** Ends the engine's utterance at {@code plannedMs} (this stream's time) and feeds the audio after it again. */
        private void cutAt(long plannedMs) {
            cuttingAtMs = plannedMs;
            try {
                inner.finish(); // its final sets cuttingAtMs to where the cut really lies
            } finally {
                inner.close();
            }
            long cutMs = Math.max(keptFromMs, cuttingAtMs);
            cuttingAtMs = -1;
            cuts++;
            onCut.run();
            int from = (int) Math.min(keptLength, (cutMs - keptFromMs) * SAMPLE_RATE / 1000);
            short[] again = Arrays.copyOfRange(kept, from, keptLength);
            forgetBefore(cutMs);
            innerOffsetMs = keptFromMs;
            inner = engine.openStream(options, this);
            replaying = true; // a replay's partials are the new utterance's first: none of its words is overdue
            try {
                inner.acceptAudio(again, again.length);
            } finally {
                replaying = false;
            }
        }

        private void keep(short[] samples, int length) {
            if (keptLength + length > MAX_KEPT_SAMPLES) {
                forgetBefore(keptFromMs + (keptLength + length - MAX_KEPT_SAMPLES) * 1000L / SAMPLE_RATE + 1);
            }
            if (keptLength + length > kept.length) {
                kept = Arrays.copyOf(kept, Math.max(keptLength + length, kept.length * 2));
            }
            System.arraycopy(samples, 0, kept, keptLength, length);
            keptLength += length;
        }

        private void forgetBefore(long ms) {
            int drop = (int) Math.min(keptLength, Math.max(0, (ms - keptFromMs) * SAMPLE_RATE / 1000));
            System.arraycopy(kept, drop, kept, 0, keptLength - drop);
            keptLength -= drop;
            keptFromMs += drop * 1000L / SAMPLE_RATE;
        }
    }

    private static int chars(List<RecognizedWord> words) {
        int n = -1;
        for (RecognizedWord w : words) {
            n += w.word().length() + 1;
        }
        return n;
    }

    private static Hypothesis shift(Hypothesis h, long offsetMs) {
        if (offsetMs == 0) {
            return h;
        }
        List<RecognizedWord> words = new ArrayList<>(h.words().size());
        for (RecognizedWord w : h.words()) {
            words.add(new RecognizedWord(w.word(), w.startMs() + offsetMs, w.endMs() + offsetMs, w.confidence()));
        }
        return new Hypothesis(words, h.startMs() + offsetMs, h.endMs() + offsetMs);
    }
}
