package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cutter over an engine that hears words in the samples themselves (a run of sample value 1000 + n is word "wn"; 0
 * is silence) and, like pocketsphinx, ends its utterance only after 0.5 s of silence: speech with 0.2 s pauses gets
 * finals within the delay, every word exactly once, in order, at its own time, however the audio is cut.
 */
class UtteranceCutterTest {

    private static final int PER_MS = 16;
    /** Word n's samples are LOUD + n: as loud as speech, so the cutter's pause finder hears the words as words. */
    static final int LOUD = 1_000;

    @Test
    void shortPausesGetFinalsWithinTheDelayAndNoWordIsLostOrRepeated() {
        // 60 words of 300 ms, 200 ms apart, after 1 s of silence, then 1 s of silence
        int words = 60;
        short[] audio = new short[(1_000 + words * 500 + 1_000) * PER_MS];
        for (int w = 0; w < words; w++) {
            int from = (1_000 + w * 500) * PER_MS;
            java.util.Arrays.fill(audio, from, from + 300 * PER_MS, (short) (LOUD + w + 1));
        }
        List<long[]> finals = new ArrayList<>(); // word number, start, end, fed when it came
        long[] fed = {0};
        RecognitionListener listener = new RecognitionListener() {
            @Override
            public void onPartial(Hypothesis partial) {
            }

            @Override
            public void onFinal(Hypothesis fin) {
                for (RecognizedWord w : fin.words()) {
                    finals.add(new long[]{Long.parseLong(w.word().substring(1)), w.startMs(), w.endMs(), fed[0]});
                }
            }
        };
        UtteranceCutter cutter = new UtteranceCutter(new SampleWords(), 3_000, 0);
        try (RecognitionStream stream = cutter.openStream(new StreamOptions("en-US", List.of()), listener)) {
            for (int at = 0; at < audio.length; at += 1_600) {
                int length = Math.min(1_600, audio.length - at);
                fed[0] = (at + length) / PER_MS;
                stream.acceptAudio(java.util.Arrays.copyOfRange(audio, at, at + length), length);
            }
            stream.finish();
        }
        assertEquals(words, finals.size(), "every word once");
        for (int w = 0; w < words; w++) {
            long[] f = finals.get(w);
            assertEquals(w + 1, f[0], "in order");
            assertEquals(1_000 + w * 500L, f[1], "word " + (w + 1) + " at its own time");
            assertEquals(1_300 + w * 500L, f[2]);
            if (w < words - 1) {
                assertTrue(f[3] - f[2] <= 3_000 + 1_000, "word " + (w + 1) + " final " + (f[3] - f[2])
                        + " ms after it ended");
            }
        }
    }

    @Test
    void speechWithoutAPauseIsNotCutBetweenItsWordsUntilItWaitedTwiceTheDelay() {
        // a 4.5 s sentence of 15 words with no gap between them, 1 s of silence each side: under twice the delay
        List<long[]> finals = finalsOf(sentence(15), 3_000);
        assertEquals(15, finals.size(), "every word once");
        for (long[] f : finals) {
            assertTrue(f[3] >= 1_000 + 4_500 + 300, "word " + f[0] + " came at the pause after the sentence (once"
                    + " heard 300 ms into it), not from a cut between words: at " + f[3] + " ms");
        }
    }

    @Test
    void speechThatNeverPausesIsCutAtItsQuietestOnceItWaitedTwiceTheDelay() {
        // 12 s of words with no gap: the speaker never pauses, yet no word waits for the engine's 20 s limit
        List<long[]> finals = finalsOf(sentence(40), 3_000);
        assertEquals(40, finals.size(), "every word once");
        for (int w = 0; w < 40; w++) {
            long[] f = finals.get(w);
            assertEquals(w + 1, f[0], "in order");
            assertEquals(1_000 + w * 300L, f[1], "word " + (w + 1) + " at its own time");
            if (w < 39) {
                assertTrue(f[3] - f[2] <= 2 * 3_000 + 500, "word " + (w + 1) + " final " + (f[3] - f[2])
                        + " ms after it ended");
            }
        }
    }

    /** Words of 300 ms with no gap between them, 1 s of silence each side. */
    private static short[] sentence(int words) {
        short[] audio = new short[(1_000 + words * 300 + 1_000) * PER_MS];
        for (int w = 0; w < words; w++) {
            int from = (1_000 + w * 300) * PER_MS;
            java.util.Arrays.fill(audio, from, from + 300 * PER_MS, (short) (LOUD + w + 1));
        }
        return audio;
    }

    /** Each final word: number, start, end, audio fed when it came. */
    private static List<long[]> finalsOf(short[] audio, long delayMs) {
        List<long[]> finals = new ArrayList<>();
        long[] fed = {0};
        RecognitionListener listener = new RecognitionListener() {
            @Override
            public void onPartial(Hypothesis partial) {
            }

            @Override
            public void onFinal(Hypothesis fin) {
                for (RecognizedWord w : fin.words()) {
                    finals.add(new long[]{Long.parseLong(w.word().substring(1)), w.startMs(), w.endMs(), fed[0]});
                }
            }
        };
        UtteranceCutter cutter = new UtteranceCutter(new SampleWords(), delayMs, 0);
        try (RecognitionStream stream = cutter.openStream(new StreamOptions("en-US", List.of()), listener)) {
            for (int at = 0; at < audio.length; at += 1_600) {
                int length = Math.min(1_600, audio.length - at);
                fed[0] = (at + length) / PER_MS;
                stream.acceptAudio(java.util.Arrays.copyOfRange(audio, at, at + length), length);
            }
            stream.finish();
        }
        return finals;
    }

    /** Words from sample values; partials every 100 ms; an utterance ends after 500 ms of silence. */
    static final class SampleWords implements SpeechEngine {

        @Override
        public String name() {
            return "sample-words";
        }

        @Override
        public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
            return new RecognitionStream() {
                private final List<Short> heard = new ArrayList<>();
                private int utteranceFrom;
                private int silentRun;

                @Override
                public void acceptAudio(short[] samples, int length) {
                    for (int i = 0; i < length; i++) {
                        heard.add(samples[i]);
                        silentRun = samples[i] == 0 ? silentRun + 1 : 0;
                        int n = heard.size();
                        if (n % (100 * PER_MS) == 0) {
                            List<RecognizedWord> words = words(utteranceFrom, n);
                            if (!words.isEmpty()) {
                                listener.onPartial(new Hypothesis(words, words.get(0).startMs(), n / PER_MS));
                            }
                        }
                        if (silentRun == 500 * PER_MS) {
                            end(n);
                        }
                    }
                }

                private void end(int n) {
                    List<RecognizedWord> words = words(utteranceFrom, n);
                    utteranceFrom = n;
                    if (!words.isEmpty()) {
                        listener.onFinal(new Hypothesis(words, words.get(0).startMs(),
                                words.get(words.size() - 1).endMs()));
                    }
                }

                private List<RecognizedWord> words(int from, int to) {
                    List<RecognizedWord> out = new ArrayList<>();
                    int i = from;
                    while (i < to) {
                        if (heard.get(i) == 0) {
                            i++;
                            continue;
                        }
                        int start = i;
                        short value = heard.get(i);
                        while (i < to && heard.get(i) == value) {
                            i++;
                        }
                        out.add(new RecognizedWord("w" + (value - LOUD), start / PER_MS, i / PER_MS, 1));
                    }
                    return out;
                }

                @Override
                public void finish() {
                    end(heard.size());
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
