package io.livecap.asr.vosk;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import org.vosk.Recognizer;

import java.util.ArrayList;
import java.util.List;

/**
 * One stream's Vosk recogniser.
 *
 * <p>Partials: Vosk's timed partial words come from its incrementally determinised lattice, which trails the audio by
 * up to 60 output frames (1.8 s, Kaldi's {@code determinize-max-delay}); its best path is current. So a partial takes
 * its words from the best path and their times and confidences from the lattice where the two agree. Words the
 * lattice has not reached yet get times estimated from where each was first heard, and confidence 0; the final
 * replaces them.
 *
 * <p>Times: libvosk reports seconds since the recogniser's first sample, continuous across utterances (it adds the
 * samples of past utterances itself), so they only change unit here.
 *
 * <p>Calls are synchronized: a native recogniser used after {@link #close} would crash the whole JVM, not one session.
 */
final class VoskStream implements RecognitionStream {

    /**
     * Vosk decodes in 0.2 s steps; feeding it slices of that size gives a partial (and an endpoint check) every
     * 200 ms of audio whatever size of chunk the caller passes.
     */
    static final int SLICE_SAMPLES = SpeechEngine.SAMPLE_RATE / 5;

    private final Recognizer recognizer;
    private final RecognitionListener listener;
    private final short[] slice = new short[SLICE_SAMPLES];
    private long samplesAccepted;
    /** The best path's words in the utterance so far, and where in the audio each was first heard at its place. */
    private final List<String> heardWords = new ArrayList<>();
    private final List<Long> heardAtMs = new ArrayList<>();
    private boolean finished;
    private boolean closed;

    VoskStream(Recognizer recognizer, RecognitionListener listener) {
        this.recognizer = recognizer;
        this.listener = listener;
        recognizer.setWords(true);
    }

    @Override
    public synchronized void acceptAudio(short[] samples, int length) {
        if (closed || finished) {
            throw new IllegalStateException("vosk stream is " + (closed ? "closed" : "finished"));
        }
        for (int offset = 0; offset < length; offset += SLICE_SAMPLES) {
            int n = Math.min(SLICE_SAMPLES, length - offset);
            System.arraycopy(samples, offset, slice, 0, n);
            long sliceStartMs = millis(samplesAccepted);
            samplesAccepted += n;
            if (recognizer.acceptWaveForm(slice, n)) {
                // An endpoint: the words are in getResult(); a later getFinalResult() would be empty.
                reportFinal(recognizer.getResult());
            } else {
                reportPartial(sliceStartMs);
            }
            if (closed) {
                return; // a listener closed the stream
            }
        }
    }

    @Override
    public synchronized void finish() {
        if (closed) {
            throw new IllegalStateException("vosk stream is closed");
        }
        if (!finished) {
            finished = true;
            reportFinal(recognizer.getFinalResult());
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            recognizer.close();
        }
    }

    private void reportFinal(String json) {
        heardWords.clear();
        heardAtMs.clear();
        List<RecognizedWord> words = VoskJson.words(json, "result");
        if (!words.isEmpty()) {
            listener.onFinal(hypothesis(words));
        }
    }

    private void reportPartial(long sliceStartMs) {
        long nowMs = millis(samplesAccepted);
        recognizer.setPartialWords(false);
        List<String> current = VoskJson.text(recognizer.getPartialResult(), "partial");
        if (current.isEmpty()) {
            if (!heardWords.isEmpty()) {
                // The engine took back what it had heard: say so, or the last partial would stand.
                heardWords.clear();
                heardAtMs.clear();
                listener.onPartial(new Hypothesis(List.of(), nowMs, nowMs));
            }
            return;
        }
        int same = 0;
        while (same < heardWords.size() && same < current.size() && heardWords.get(same).equals(current.get(same))) {
            same++;
        }
        heardWords.subList(same, heardWords.size()).clear();
        heardAtMs.subList(same, heardAtMs.size()).clear();
        for (int i = same; i < current.size(); i++) {
            heardWords.add(current.get(i));
            heardAtMs.add(sliceStartMs);
        }
        recognizer.setPartialWords(true);
        List<RecognizedWord> timed = VoskJson.words(recognizer.getPartialResult(), "partial_result");
        listener.onPartial(hypothesis(merge(current, timed, heardAtMs, nowMs)));
    }

    /**
     * The best path's words, timed by the lattice's words as far as the two agree. Each word beyond gets an estimate:
     * from where it was first heard (never before the word ahead of it) to where the next one starts, the last one to
     * {@code nowMs}.
     */
    static List<RecognizedWord> merge(List<String> current, List<RecognizedWord> timed, List<Long> heardAtMs,
                                      long nowMs) {
        List<RecognizedWord> words = new ArrayList<>(current.size());
        int agreed = 0;
        while (agreed < current.size() && agreed < timed.size() && timed.get(agreed).word().equals(current.get(agreed))) {
            words.add(timed.get(agreed));
            agreed++;
        }
        long[] starts = new long[current.size()];
        long floor = agreed == 0 ? 0 : words.get(agreed - 1).endMs();
        for (int i = agreed; i < current.size(); i++) {
            floor = Math.max(floor, Math.min(heardAtMs.get(i), nowMs));
            starts[i] = floor;
        }
        for (int i = agreed; i < current.size(); i++) {
            long end = i + 1 < current.size() ? starts[i + 1] : Math.max(nowMs, starts[i]);
            words.add(new RecognizedWord(current.get(i), starts[i], end, 0));
        }
        return words;
    }

    private static Hypothesis hypothesis(List<RecognizedWord> words) {
        return new Hypothesis(words, words.get(0).startMs(), words.get(words.size() - 1).endMs());
    }

    private static long millis(long samples) {
        return samples * 1000 / SpeechEngine.SAMPLE_RATE;
    }
}
