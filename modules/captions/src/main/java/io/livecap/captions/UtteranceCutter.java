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
 * An engine whose streams end an utterance at a short pause, so that a speaker who never pauses long enough for the
 * engine's own end of utterance (0.5 s of silence for pocketsphinx) still gets finals soon after {@code maxDelayMs}
 * of audio past its words, and finals that are the engine's own: decoded over the whole utterance (pocketsphinx's
 * second pass), not its partial hypothesis, which differs in about one word in ten.
 *
 * <p>Once the oldest word of the utterance under way ended {@code maxDelayMs} ago (or, if {@code blockChars} > 0, its
 * words fill a caption block), the stream waits for a pause in the audio itself: at least {@link #MIN_PAUSE_MS} quiet
 * for this speech, after that word, and ended by speech again (a pause still going on may become the engine's own
 * end of utterance). Then it ends the engine's utterance: the engine decodes all the audio it has, and the final goes
 * on with its words before the middle of that pause. The audio after that point is fed again to a new engine stream,
 * which decodes the words after the pause afresh (from silence, as at any utterance start), so no word is lost or sent
 * twice. Speech with no pause at all is cut at its quietest 50 ms once its oldest word waited twice the delay.
 * Everything is decided on the audio's own time, so the cuts are the same however loaded the machine is. The cost:
 * the audio after the pause is decoded twice, and the language model starts a new sentence at the pause.
 *
 * <p>Why only at a pause (issue 15): cutting at the gaps in the engine's segmentation cut between words with no pause
 * between them (pocketsphinx's words are 30 ms apart in running speech), and at the first of those equal gaps, so
 * the rest of the utterance was overdue at once and was cut again after the next word: the lecture's 14 sentences
 * became 49 finals, many of one word, at 15.2 % WER against 3.2 %.
 *
 * <p>Word times stay ms since the stream's first sample, whatever the number of engine streams under it.
 */
public final class UtteranceCutter implements SpeechEngine {

    /**
     * Quiet audio this long is a pause to cut at: people's and flite's phrase pauses are longer, the closures inside
     * words (a stop consonant's silence) shorter.
     */
    static final long MIN_PAUSE_MS = 150;
    /** The words before a cut must have been heard at least this far past, so the engine has their whole sound. */
    static final long SETTLE_MS = 300;
    /** Loudness frames, ms. */
    private static final int FRAME_MS = 10;
    /** A frame this many dB above the utterance's quietest frames (its 5th percentile) is not quiet. */
    private static final double QUIET_ABOVE_FLOOR_DB = 15;
    /** ... nor one less than this many dB below its loud frames (the 95th percentile). */
    private static final double QUIET_BELOW_PEAK_DB = 15;
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
        /**
         * Loudness of the kept audio's first {@code loudFrames} whole frames: kept audio only grows at its end
         * between cuts, so each frame is measured once, not on every chunk while a word is overdue.
         */
        private double[] loudness = new double[0];
        private int loudFrames;
        /** All the samples this stream has been given: its time, whatever the engine's partials say. */
        private long samplesFed;
        /** The words of the utterance under way, as its latest partial has them (this stream's time). */
        private List<RecognizedWord> underWay = List.of();
        /** Set while the inner stream is finishing for a cut: its final keeps only the words before this. */
        private long cuttingAtMs = -1;
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
            samplesFed += length;
            inner.acceptAudio(samples, length);
            // decided here, after the engine's acceptAudio has returned: finishing and closing it from inside its
            // own callback would free what it is still using (pocketsphinx's native audio block); and on the audio
            // fed, not on when a partial came, so a pause the engine's partials do not change over is seen too
            long cut = dueCut();
            if (cut >= 0) {
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
            if (cuttingAtMs < 0) {
                underWay = shifted.words();
            }
        }

        @Override
        public void onFinal(Hypothesis fin) {
            Hypothesis shifted = shift(fin, innerOffsetMs);
            if (cuttingAtMs >= 0) {
                long cut = offWords(shifted.words(), cuttingAtMs);
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
            underWay = List.of(); // the engine ended the utterance itself
            if (!shifted.words().isEmpty()) {
                forgetBefore(shifted.endMs()); // the engine's next utterance starts after its final
            }
        }

        /**
         * Where to cut the utterance under way now, or -1 (not due, or no pause to cut at yet). Due once its oldest
         * word ended {@code maxDelayMs} of audio ago (or its words fill a block); then cut in the middle of the
         * latest pause in the audio after that word, one the engine has heard {@link #SETTLE_MS} into. A speaker who
         * leaves no such pause at all is cut at the quietest moment once the oldest word waited twice the delay.
         * Only at a pause: a cut between two words with no pause between them costs the words on both sides (the
         * engine hears the second one's start without what led to it), and a cut at the first of several tiny gaps
         * left the rest of the utterance overdue at once, so it was cut again after the next word, and again.
         */
        private long dueCut() {
            if (underWay.isEmpty()) {
                return -1;
            }
            long heardMs = samplesFed * 1000 / SAMPLE_RATE;
            long waited = heardMs - underWay.get(0).endMs();
            boolean due = waited >= maxDelayMs || blockChars > 0 && chars(underWay) >= blockChars;
            if (!due) {
                return -1;
            }
            long pause = latestPause(underWay.get(0).endMs(), heardMs);
            if (pause >= 0 || waited < 2 * maxDelayMs) {
                return pause;
            }
            return quietest(underWay.get(0).endMs(), heardMs - SETTLE_MS);
        }

        /**
         * The middle of the latest quiet run of at least {@link #MIN_PAUSE_MS} after fromMs that speech has ended,
         * or -1.
         */
        private long latestPause(long fromMs, long heardMs) {
            double[] db = frameLoudness();
            double quiet = quietBelow(db);
            long best = -1;
            int run = 0;
            for (int f = 0; f < db.length; f++) {
                if (db[f] < quiet) {
                    run++;
                    continue;
                }
                // only a pause the speaker has ended: one still going on may reach the engine's own end of
                // utterance, which keeps its decoder's context (a cut there, 0.3 s into a sentence's pause, cost
                // the lecture a word: the fresh stream after it heard "said" as "should")
                // only the part after the oldest word: an engine's word may reach into the pause that follows it
                long startMs = Math.max(fromMs, keptFromMs + (long) (f - run) * FRAME_MS);
                long lengthMs = keptFromMs + (long) f * FRAME_MS - startMs;
                if (run > 0 && lengthMs >= MIN_PAUSE_MS && startMs <= heardMs - SETTLE_MS) {
                    best = startMs + lengthMs / 2;
                }
                run = 0;
            }
            return best;
        }

        /** The middle of the quietest 50 ms between the two times (the engine's utterance must end somewhere). */
        private long quietest(long fromMs, long toMs) {
            double[] db = frameLoudness();
            int width = 5;
            int from = (int) Math.max(0, (fromMs - keptFromMs) / FRAME_MS);
            int to = (int) Math.min(db.length, (toMs - keptFromMs) / FRAME_MS);
            double lowest = Double.MAX_VALUE;
            long best = toMs;
            for (int f = from; f + width <= to; f++) {
                double sum = 0;
                for (int k = f; k < f + width; k++) {
                    sum += db[k];
                }
                if (sum <= lowest) { // the latest of equals: the shortest tail to decode again
                    lowest = sum;
                    best = keptFromMs + (long) f * FRAME_MS + width * FRAME_MS / 2;
                }
            }
            return best;
        }

        /** Each whole 10 ms frame of the kept audio, in dB over 1 (so digital silence is 0, not minus infinity). */
        private double[] frameLoudness() {
            int per = SAMPLE_RATE * FRAME_MS / 1000;
            int frames = keptLength / per;
            if (loudness.length < frames) {
                loudness = Arrays.copyOf(loudness, Math.max(frames, loudness.length * 2));
            }
            for (int f = loudFrames; f < frames; f++) {
                double energy = 0;
                for (int i = f * per; i < (f + 1) * per; i++) {
                    energy += (double) kept[i] * kept[i];
                }
                loudness[f] = 10 * Math.log10(1 + energy / per);
            }
            loudFrames = frames;
            return Arrays.copyOf(loudness, frames);
        }

        /**
         * Loudness below which a frame is quiet: relative to this audio's own quiet and loud frames, so a noisy
         * room's floor is not speech and a quiet speaker's words are not silence.
         */
        private double quietBelow(double[] db) {
            if (db.length == 0) {
                return 0;
            }
            double[] sorted = db.clone();
            Arrays.sort(sorted);
            double floor = sorted[(int) (0.05 * (sorted.length - 1))];
            double peak = sorted[(int) (0.95 * (sorted.length - 1))];
            return Math.min(floor + QUIET_ABOVE_FLOOR_DB, peak - QUIET_BELOW_PEAK_DB);
        }

        /**
         * The planned cut, moved off any word of the engine's final that spans it (to that word's end if most of
         * it lies before, else to its start), so the audio fed again never starts inside a word the final sent.
         */
        private long offWords(List<RecognizedWord> words, long plannedMs) {
            for (RecognizedWord w : words) {
                if (w.startMs() < plannedMs && plannedMs < w.endMs()) {
                    return (w.startMs() + w.endMs()) / 2 < plannedMs ? w.endMs() : w.startMs();
                }
            }
            return plannedMs;
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
            underWay = List.of();
            cuts++;
            onCut.run();
            int from = (int) Math.min(keptLength, (cutMs - keptFromMs) * SAMPLE_RATE / 1000);
            short[] again = Arrays.copyOfRange(kept, from, keptLength);
            forgetBefore(cutMs);
            innerOffsetMs = keptFromMs;
            inner = engine.openStream(options, this);
            inner.acceptAudio(again, again.length);
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
            loudFrames = 0; // the frames now fall elsewhere in the samples
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
