package io.livecap.asr.sphinx4;

import edu.cmu.sphinx.linguist.dictionary.Word;
import edu.cmu.sphinx.result.Lattice;
import edu.cmu.sphinx.result.LatticeOptimizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.LogMath;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns sphinx4 results into livecap hypotheses. sphinx4 stamps every frame with the ms of its first sample, counted
 * from the start of the stream the data source reads; a stream feeds one data source for its whole life, so these
 * times are already continuous across utterances and need no offset.
 */
final class ResultReader {

    private ResultReader() {
    }

    /**
     * The best path so far. Its words carry confidence 0: sphinx4 has no posterior before the utterance ends (the
     * lattice needs a path that reached the sentence end), and a partial is replaced by the final anyway.
     */
    static Hypothesis partial(Result result) {
        List<RecognizedWord> words = new ArrayList<>();
        long startMs = result.getCollectTime();
        boolean first = true;
        for (WordResult w : result.getTimedBestResult(true)) {
            if (first) {
                startMs = w.getTimeFrame().getStart();
                first = false;
            }
            if (shown(w.getWord())) {
                words.add(new RecognizedWord(w.getWord().getSpelling(), w.getTimeFrame().getStart(), w.getTimeFrame().getEnd(), 0));
            }
        }
        return hypothesis(words, startMs, result.getCollectTime());
    }

    /**
     * The utterance's words from its word lattice. Confidence is the word's posterior probability in that lattice
     * (forward-backward over the alternatives the search kept, as sphinx4's {@code SpeechResult} computes it). It is
     * only as good as the lattice: with the narrowed beams few alternatives survive, so most words score near 1 and
     * a low value marks a real competitor. Costs about 1 ms per utterance.
     */
    static Hypothesis fin(Result result) {
        if (result.getBestFinalToken() == null) {
            // no path reached the sentence end (noise cut off by the end of the stream): no lattice to read
            return partial(result);
        }
        Lattice lattice = new Lattice(result);
        new LatticeOptimizer(lattice).optimize();
        lattice.computeNodePosteriors(1.0f);
        LogMath logMath = LogMath.getLogMath();
        List<RecognizedWord> words = new ArrayList<>();
        long startMs = result.getCollectTime();
        boolean first = true;
        for (WordResult w : lattice.getWordResultPath()) {
            if (first) {
                startMs = w.getTimeFrame().getStart();
                first = false;
            }
            if (shown(w.getWord())) {
                double posterior = Math.min(1, Math.max(0, logMath.logToLinear((float) w.getConfidence())));
                words.add(new RecognizedWord(w.getWord().getSpelling(), w.getTimeFrame().getStart(), w.getTimeFrame().getEnd(), posterior));
            }
        }
        long endMs = words.isEmpty() ? result.getCollectTime() : words.get(words.size() - 1).endMs();
        return hypothesis(words, startMs, endMs);
    }

    /** Starts at the first word when there is one: the utterance itself may open with a stretch of silence. */
    private static Hypothesis hypothesis(List<RecognizedWord> words, long utteranceStartMs, long endMs) {
        long startMs = words.isEmpty() ? utteranceStartMs : words.get(0).startMs();
        return new Hypothesis(words, startMs, Math.max(startMs, endMs));
    }

    /** Drops {@code <s>}, {@code </s>}, {@code <sil>} and the noise fillers ({@code [NOISE]}, {@code [SPEECH]}...). */
    private static boolean shown(Word word) {
        return !word.isFiller() && !word.isSentenceStartWord() && !word.isSentenceEndWord();
    }
}
