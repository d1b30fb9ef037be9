package io.livecap.asr.pocketsphinx;

import io.livecap.testkit.RecordingListener;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.WavAudio;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams come and go for the life of the server; decoders must be reused cleanly and freed for real. */
class PocketsphinxStreamLifecycleTest {

    @Test
    void finishReportsTheUtteranceStillOpenAndEndsTheStream() {
        Lecture.assumeEngineAvailable();
        // two seconds in, the first sentence is still being spoken
        short[] audio = Arrays.copyOf(Lecture.samples(), 2000 * Lecture.SAMPLES_PER_MS);
        RecordingListener recorded = new RecordingListener();
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL)) {
            RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded);
            stream.acceptAudio(audio, audio.length);
            assertTrue(recorded.finals().isEmpty(), "a final before the sentence ended");

            stream.finish();
            assertEquals(1, recorded.finals().size());
            assertTrue(recorded.finalText().startsWith("the committee will"), recorded.finalText());
            assertThrows(IllegalStateException.class, () -> stream.acceptAudio(audio, 160));

            stream.close();
            stream.close();
        }
    }

    @Test
    void aReusedDecoderDecodesLikeAFreshOne() throws IOException {
        Lecture.assumeEngineAvailable();
        short[] twoSentences = Arrays.copyOf(Lecture.samples(), 7500 * Lecture.SAMPLES_PER_MS);
        // real speech from another speaker and microphone: it moves the live cepstral mean a long way
        short[] otherVoice = WavAudio.read(SharedAudio.file(SharedAudio.VOSK_TEST)).samples();
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL)) {
            // one stream at a time: every stream runs on the engine's one decoder
            List<Hypothesis> fresh = decode(engine, twoSentences);
            decode(engine, otherVoice);
            List<Hypothesis> reused = decode(engine, twoSentences);

            assertEquals(fresh.size(), reused.size());
            for (int u = 0; u < fresh.size(); u++) {
                List<RecognizedWord> expected = fresh.get(u).words();
                List<RecognizedWord> actual = reused.get(u).words();
                assertEquals(fresh.get(u).text(), reused.get(u).text());
                for (int w = 0; w < expected.size(); w++) {
                    RecognizedWord e = expected.get(w);
                    RecognizedWord a = actual.get(w);
                    assertTrue(Math.abs(e.startMs() - a.startMs()) <= 10 && Math.abs(e.endMs() - a.endMs()) <= 10,
                            "fresh " + e + ", reused " + a);
                    assertEquals(e.confidence(), a.confidence(), 0.05, "fresh " + e + ", reused " + a);
                }
            }
        }
    }

    @Test
    void eachStreamOpenAtOnceHasItsOwnDecoderOfMeasuredSize() {
        Lecture.assumeEngineAvailable();
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL)) {
            List<RecognitionStream> open = new ArrayList<>();
            open.add(engine.openStream(StreamOptions.of("en-US"), new RecordingListener())); // the warm decoder
            long heapBefore = NativeHeap.inUseBytes();
            long residentBefore = residentKb();
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                open.add(engine.openStream(StreamOptions.of("en-US"), new RecordingListener()));
            }
            long loadMs = (System.nanoTime() - start) / 1_000_000 / 3;
            long heapMb = (NativeHeap.inUseBytes() - heapBefore) / 3 / (1024 * 1024);
            long residentMb = (residentKb() - residentBefore) / 3 / 1024;
            System.out.printf("pocketsphinx footprint: %d ms to load a decoder; per stream %d MB of native heap, "
                    + "%d MB more resident memory%n", loadMs, heapMb, residentMb);
            open.forEach(RecognitionStream::close);
            // about 90 MB: a model loaded twice per stream, or shared by accident, would show here
            assertTrue(heapMb > 60 && heapMb < 130, heapMb + " MB per stream");
        }
    }

    @Test
    void openingAndClosing200StreamsNeitherCrashesNorGrowsResidentMemory() {
        Lecture.assumeEngineAvailable();
        // 0.1 to 0.45 s: the first word, enough for the VAD to open an utterance; every fourth stream hears it,
        // the others as much silence (decoding speech is what makes this test slow)
        short[] speech = Arrays.copyOfRange(Lecture.samples(), 100 * 16, 450 * 16);
        short[] silence = new short[speech.length];
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL)) {
            long afterWarmUp = 0;
            for (int i = 1; i <= 200; i++) {
                boolean speaks = i % 4 == 0;
                RecordingListener recorded = new RecordingListener();
                try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded)) {
                    stream.acceptAudio(speaks ? speech : silence, speech.length);
                    if (i % 8 < 4) {
                        stream.finish(); // the others close with their utterance open
                    }
                }
                assertEquals(speaks, !recorded.results().isEmpty(), "stream " + i + " reported " + recorded.results());
                if (i == 50) {
                    afterWarmUp = residentKb();
                }
            }
            long sequentialGrowth = residentKb() - afterWarmUp;

            // three at once: the pool keeps two, so each round loads and frees a third decoder for real
            long afterRoundTwo = 0;
            for (int round = 1; round <= 6; round++) {
                List<RecognitionStream> open = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), new RecordingListener());
                    stream.acceptAudio(speech, speech.length);
                    open.add(stream);
                }
                open.forEach(RecognitionStream::close);
                if (round == 2) {
                    afterRoundTwo = residentKb();
                }
            }
            long churnGrowth = residentKb() - afterRoundTwo;
            System.out.printf("pocketsphinx churn: resident %d MB; growth %d MB over streams 50-200, "
                    + "%d MB over four load/free rounds%n", residentKb() / 1024, sequentialGrowth / 1024,
                    churnGrowth / 1024);
            assertTrue(sequentialGrowth < 30 * 1024, "resident memory grew " + sequentialGrowth + " kB");
            assertTrue(churnGrowth < 60 * 1024, "resident memory grew " + churnGrowth + " kB");
        }
    }

    private static List<Hypothesis> decode(PocketsphinxEngine engine, short[] audio) {
        RecordingListener recorded = new RecordingListener();
        try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded)) {
            Lecture.feed(stream, audio, 100);
        }
        return recorded.finals();
    }

    private static long residentKb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
