package io.livecap.asr.pocketsphinx;

import io.livecap.testkit.RecordingListener;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.StreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Word times are stream times: they count every sample fed, across utterances, and match the audio itself. */
class PocketsphinxWordTimingTest {

    /** Decoder word boundaries against an energy threshold: they agree to a few 10 ms frames on this speech. */
    private static final long TOLERANCE_MS = 100;

    private static PocketsphinxEngine engine;
    private static short[] lecture;

    @BeforeAll
    static void loadEngine() {
        Lecture.assumeEngineAvailable();
        lecture = Lecture.samples();
        engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL);
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void wordsAfterThreeSecondsOfSilenceStartWhereTheirSpeechStarts() {
        // the first four sentences, each followed by the file's own 0.5 s pause
        short[] audio = Lecture.concat(Lecture.silence(3000), Arrays.copyOf(lecture, 16 * 16_000));
        List<Long> onsets = Lecture.speechOnsetsMs(audio);
        List<Hypothesis> finals = decode(audio, 100).finals();
        System.out.println("pocketsphinx timing: speech onsets " + onsets + ", utterance starts "
                + finals.stream().map(Hypothesis::startMs).toList());

        assertEquals(4, onsets.size(), "onsets " + onsets);
        assertEquals(4, finals.size(), "one final per sentence: " + finals);
        long firstWordMs = finals.get(0).words().get(0).startMs();
        assertTrue(firstWordMs >= 3000, "first word at " + firstWordMs + " ms, inside the leading silence");
        for (int i = 0; i < 4; i++) {
            long start = finals.get(i).startMs();
            assertTrue(Math.abs(start - onsets.get(i)) <= TOLERANCE_MS,
                    "utterance " + i + " starts at " + start + " ms, its speech at " + onsets.get(i) + " ms");
        }
    }

    @Test
    void anUtteranceThatFollowsRightAfterTheLastOneEndedIsTimedFromItsOwnAudio() {
        // sentence one, 0.2 s of silence, sentence two: the VAD's 0.5 s hangover ends utterance one just as
        // sentence two begins, when pocketsphinx's pre-speech buffer is nearly empty
        short[] first = Arrays.copyOfRange(lecture, 0, 3200 * 16);
        short[] second = Arrays.copyOfRange(lecture, 3800 * 16, 7400 * 16);
        short[] audio = Lecture.concat(first, Lecture.silence(200), second);
        RecordingListener recorded = new RecordingListener();
        long restartMs = -1;
        try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded)) {
            // 10 ms chunks: where the first final arrives is where the decoder started utterance two
            short[] chunk = new short[160];
            for (int at = 0; at < audio.length; at += chunk.length) {
                System.arraycopy(audio, at, chunk, 0, chunk.length);
                stream.acceptAudio(chunk, chunk.length);
                if (restartMs < 0 && !recorded.finals().isEmpty()) {
                    restartMs = (at + chunk.length) / Lecture.SAMPLES_PER_MS;
                }
            }
            stream.finish();
        }
        List<Hypothesis> finals = recorded.finals();
        System.out.println("pocketsphinx timing: first final reported at " + restartMs + " ms; finals "
                + finals.stream().map(f -> f.startMs() + "-" + f.endMs() + " " + f.text()).toList());
        assertEquals(2, finals.size(), "finals " + finals);
        RecognizedWord firstOfSecond = finals.get(1).words().get(0);
        assertTrue(firstOfSecond.startMs() >= restartMs - 10,
                firstOfSecond + " starts before the utterance it belongs to was started at " + restartMs + " ms");
    }

    @Test
    void speechWithoutPausesIsCutIntoFinalsOfAtMostTwentySeconds() {
        short[] audio = Lecture.withoutPauses(lecture);
        List<Hypothesis> finals = decode(audio, 100).finals();
        System.out.println("pocketsphinx timing: " + audio.length / 16 + " ms without pauses gave finals "
                + finals.stream().map(f -> f.startMs() + "-" + f.endMs()).toList());
        assertTrue(finals.size() >= 3, "finals " + finals);
        long previousEnd = 0;
        for (Hypothesis fin : finals) {
            // cut at the first 50 ms block past 20 s from the VAD's onset, which it knows to about a block
            assertTrue(fin.endMs() - fin.startMs() <= 20_100, "a final of " + (fin.endMs() - fin.startMs()) + " ms");
            assertTrue(fin.startMs() >= previousEnd, "finals overlap: " + finals);
            previousEnd = fin.endMs();
        }
    }

    private static RecordingListener decode(short[] audio, int chunkMs) {
        RecordingListener recorded = new RecordingListener();
        try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded)) {
            Lecture.feed(stream, audio, chunkMs);
        }
        return recorded;
    }
}
