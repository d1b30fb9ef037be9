package io.livecap.captions;

import java.util.List;
import java.util.OptionalInt;

/**
 * The 0-100 figure a READY REACH task reports as {@code accuracy}. The vendor FAQ asks machine vendors to derive it
 * from the recogniser's confidence, transparently; this is the whole derivation:
 *
 * <pre>
 *   accuracy = round(100 * sum(c_w * d_w) / sum(d_w))   over every word w of the distinct finals (one per seq)
 *   c_w = the word's confidence, clamped to [0, 1] (NaN counts as 0)
 *   d_w = the word's duration endMs - startMs, clamped to [10 ms, 1000 ms]
 * </pre>
 *
 * <p>Why weight by duration rather than take a plain mean per word: a plain mean lets the many short function words
 * ("a", "of", "the") decide the figure, and engines score those unlike content words (the language model predicts
 * them, the acoustics barely support them). Weighted by duration the figure is the share of speech time the recogniser
 * was sure of, which is closer to what a viewer reads, and it does not change when an engine tokenises differently
 * ("new york" as one word or two). The clamps keep single words from distorting it: a word with no duration (an
 * engine that did not time it) still weighs one 10 ms feature frame, and a word stretched over silence or noise
 * counts no more than a second of speech.
 *
 * <p>It is the recogniser's own belief, not a word error rate against a reference: an engine can be confidently wrong.
 * With no words at all there is nothing to believe, so there is no figure ({@link OptionalInt#empty()}): report the
 * task without {@code accuracy} rather than claim 0.
 */
public final class Accuracy {

    static final long MIN_WORD_WEIGHT_MS = 10;
    static final long MAX_WORD_WEIGHT_MS = 1000;

    private Accuracy() {
    }

    /** @param finals the stream's final captions; partials and repeated seqs are ignored, as in the transcript */
    public static OptionalInt percent(List<Caption> finals) {
        double weighted = 0;
        double total = 0;
        for (Caption fin : Transcript.distinctFinals(finals)) {
            for (CaptionWord word : fin.words()) {
                long weight = Math.min(MAX_WORD_WEIGHT_MS, Math.max(MIN_WORD_WEIGHT_MS, word.endMs() - word.startMs()));
                double confidence = Double.isNaN(word.confidence()) ? 0 : Math.min(1, Math.max(0, word.confidence()));
                weighted += confidence * weight;
                total += weight;
            }
        }
        return total == 0 ? OptionalInt.empty() : OptionalInt.of((int) Math.round(100 * weighted / total));
    }
}
