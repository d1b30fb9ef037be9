package io.livecap.asr.pocketsphinx;

import io.livecap.testkit.RecordingListener;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.StreamOptions;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole lecture fed in 100 ms chunks, once; each test checks one promise of the stream. */
class PocketsphinxLectureTest {

    private static PocketsphinxEngine engine;
    private static short[] lecture;
    private static RecordingListener recorded;
    private static double realTimeFactor;
    private static double cpuPerAudioSecond;

    @BeforeAll
    static void decodeTheLecture() {
        Lecture.assumeEngineAvailable();
        lecture = Lecture.samples();
        engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL);
        recorded = new RecordingListener();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded)) {
            Lecture.feed(stream, lecture, 100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double audioSeconds = lecture.length / 16_000.0;
        realTimeFactor = seconds / audioSeconds;
        cpuPerAudioSecond = cpuSeconds / audioSeconds;
        // the CPU figure holds when other work shares the cores; the wall-clock one is what a session sees
        System.out.printf("pocketsphinx lecture: %.1f s of audio decoded in %.2f s, real-time factor %.3f "
                + "(CPU %.3f)%n", audioSeconds, seconds, realTimeFactor, cpuSeconds / audioSeconds);
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void finalsTranscribeTheLectureWithinTenPercentWordErrorRate() {
        double wer = WordErrorRate.of(Lecture.transcript(), recorded.finalText());
        System.out.printf("pocketsphinx lecture: WER %.1f %% over %d finals%n", wer * 100, recorded.finals().size());
        assertTrue(wer <= 0.10, "WER " + wer + " for: " + recorded.finalText());
    }

    @Test
    void decodesFasterThanRealTime() {
        // CPU time, not wall time: a stream keeps up when it needs less than a core, however busy the machine is
        // (speed targets proper live in bench/)
        assertTrue(cpuPerAudioSecond < 1, "CPU seconds per audio second " + cpuPerAudioSecond
                + " (wall-clock real-time factor " + realTimeFactor + ")");
    }

    @Test
    void pausesBetweenSentencesEndUtterances() {
        // 13 sentences with 0.5 s between them; allow a sentence to split or two to merge now and then
        int finals = recorded.finals().size();
        assertTrue(finals >= 11 && finals <= 16, finals + " finals");
    }

    @Test
    void finalWordTimesNeverGoBackwardsAndStayInsideTheAudio() {
        long durationMs = lecture.length / Lecture.SAMPLES_PER_MS;
        long previousEnd = 0;
        for (Hypothesis fin : recorded.finals()) {
            for (RecognizedWord word : fin.words()) {
                assertTrue(word.startMs() >= previousEnd, "word starts before the previous one ended: " + word);
                assertTrue(word.endMs() > word.startMs(), "empty or reversed word: " + word);
                assertTrue(word.endMs() <= durationMs, "word after the end of the audio: " + word);
                previousEnd = word.endMs();
            }
            assertEquals(fin.words().get(0).startMs(), fin.startMs());
            assertEquals(fin.words().get(fin.words().size() - 1).endMs(), fin.endMs());
        }
    }

    @Test
    void finalsCarryCleanWordsWithPosteriorConfidences() {
        List<RecognizedWord> words = recorded.finals().stream().flatMap(f -> f.words().stream()).toList();
        for (RecognizedWord word : words) {
            assertTrue(word.word().matches("[a-z']+"), "not a clean word: " + word);
            assertTrue(word.confidence() >= 0 && word.confidence() <= 1, "confidence out of range: " + word);
        }
        double mean = words.stream().mapToDouble(RecognizedWord::confidence).average().orElse(0);
        long certain = words.stream().filter(w -> w.confidence() >= 0.999).count();
        System.out.printf("pocketsphinx lecture: mean word confidence %.2f%n", mean);
        assertTrue(mean > 0.5, "mean confidence " + mean);
        assertTrue(certain < words.size(), "every word has confidence 1: not a posterior");
    }

    @Test
    void everyUtterancesPartialsComeBeforeItsFinal() {
        for (List<RecordingListener.Result> utterance : utterances()) {
            RecordingListener.Result last = utterance.get(utterance.size() - 1);
            assertTrue(last.isFinal());
            assertTrue(utterance.size() >= 2, "a final without partials before it: " + last.hypothesis().text());
            assertTrue(utterance.subList(0, utterance.size() - 1).stream().noneMatch(RecordingListener.Result::isFinal));
        }
    }

    @Test
    void partialsComeAtLeastEvery300MsOfAudioWhileAnUtteranceIsOpen() {
        long worstGap = 0;
        for (List<RecordingListener.Result> utterance : utterances()) {
            Hypothesis fin = utterance.get(utterance.size() - 1).hypothesis();
            // partial.endMs is how much audio had been heard when it was reported
            long previous = fin.startMs();
            for (RecordingListener.Result partial : utterance.subList(0, utterance.size() - 1)) {
                long at = partial.hypothesis().endMs();
                if (at > fin.startMs()) {
                    worstGap = Math.max(worstGap, at - previous);
                    previous = at;
                }
            }
            worstGap = Math.max(worstGap, fin.endMs() - previous);
        }
        System.out.printf("pocketsphinx lecture: longest stretch of open utterance without a partial %d ms%n",
                worstGap);
        assertTrue(worstGap <= 300, "longest gap between partials " + worstGap + " ms");
    }

    @Test
    void partialsCarryTheWordsHeardSoFar() {
        long withWords = recorded.results().stream()
                .filter(r -> !r.isFinal() && !r.hypothesis().isEmpty()).count();
        assertTrue(withWords > recorded.finals().size() * 3L, withWords + " partials with words");
        for (RecordingListener.Result r : recorded.results()) {
            if (!r.isFinal() && !r.hypothesis().isEmpty()) {
                List<RecognizedWord> words = r.hypothesis().words();
                assertTrue(words.get(0).startMs() >= 0 && words.get(words.size() - 1).endMs() <= r.hypothesis().endMs(),
                        "partial word times outside what was heard: " + r.hypothesis());
            }
        }
    }

    /** Results grouped per utterance: the partials since the previous final, then the final. */
    private static List<List<RecordingListener.Result>> utterances() {
        List<List<RecordingListener.Result>> utterances = new ArrayList<>();
        List<RecordingListener.Result> current = new ArrayList<>();
        for (RecordingListener.Result r : recorded.results()) {
            current.add(r);
            if (r.isFinal()) {
                utterances.add(current);
                current = new ArrayList<>();
            }
        }
        assertFalse(utterances.isEmpty(), "no finals at all");
        return utterances;
    }
}
