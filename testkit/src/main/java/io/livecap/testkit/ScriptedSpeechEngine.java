package io.livecap.testkit;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * A speech engine that "hears" a script instead of the audio: each scripted word is reported once the stream has
 * been fed past its end, as a partial of its utterance, and the utterance's final follows once the audio is
 * {@link #ENDPOINT_MS} past its last word (or at {@code finish}). So the caption chain's timing (timing map, caption
 * builder, line breaking, delivery) can be tested exactly, with any audio, at any speed, without a real model.
 */
public final class ScriptedSpeechEngine implements SpeechEngine {

    /** The silence after an utterance's last word at which its final is reported, like a real engine's endpointing. */
    public static final long ENDPOINT_MS = 500;

    private final List<List<RecognizedWord>> utterances;

    /** @param utterances the words every stream will hear, utterance by utterance, in stream time */
    public ScriptedSpeechEngine(List<List<RecognizedWord>> utterances) {
        this.utterances = utterances.stream().map(List::copyOf).toList();
    }

    /** A script of one utterance per line: "word@startMs-endMs word@startMs-endMs ...", confidence 0.9. */
    public static ScriptedSpeechEngine of(String... lines) {
        List<List<RecognizedWord>> utterances = new ArrayList<>();
        for (String line : lines) {
            List<RecognizedWord> words = new ArrayList<>();
            for (String token : line.trim().split("\\s+")) {
                String[] wordAndTimes = token.split("@");
                String[] times = wordAndTimes[1].split("-");
                words.add(new RecognizedWord(wordAndTimes[0], Long.parseLong(times[0]), Long.parseLong(times[1]), 0.9));
            }
            utterances.add(words);
        }
        return new ScriptedSpeechEngine(utterances);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        return new Stream(listener);
    }

    @Override
    public void close() {
    }

    private final class Stream implements RecognitionStream {

        private final RecognitionListener listener;
        private long fedSamples;
        private int utterance;     // the utterance being heard
        private int wordsReported; // of that utterance, as partials so far

        Stream(RecognitionListener listener) {
            this.listener = listener;
        }

        @Override
        public void acceptAudio(short[] samples, int length) {
            fedSamples += length;
            long fedMs = fedSamples * 1000 / SAMPLE_RATE;
            while (utterance < utterances.size()) {
                List<RecognizedWord> words = utterances.get(utterance);
                int heard = (int) words.stream().filter(w -> w.endMs() <= fedMs).count();
                if (heard > wordsReported) {
                    wordsReported = heard;
                    listener.onPartial(hypothesis(words.subList(0, heard)));
                }
                if (heard < words.size() || fedMs < words.get(words.size() - 1).endMs() + ENDPOINT_MS) {
                    return;
                }
                reportFinal();
            }
        }

        @Override
        public void finish() {
            if (utterance < utterances.size() && wordsReported > 0) {
                listener.onFinal(hypothesis(utterances.get(utterance).subList(0, wordsReported)));
            }
            utterance = utterances.size();
        }

        @Override
        public void close() {
        }

        private void reportFinal() {
            listener.onFinal(hypothesis(utterances.get(utterance)));
            utterance++;
            wordsReported = 0;
        }

        private Hypothesis hypothesis(List<RecognizedWord> words) {
            return new Hypothesis(words, words.get(0).startMs(), words.get(words.size() - 1).endMs());
        }
    }
}
