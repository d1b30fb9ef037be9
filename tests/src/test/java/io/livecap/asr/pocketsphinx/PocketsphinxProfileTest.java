package io.livecap.asr.pocketsphinx;

import io.livecap.asr.EngineSettings;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.testkit.RecordingListener;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code engine.pocketsphinx_profile}: the fast profile keeps the lecture's WER close to the accurate one's for
 * clearly less CPU. One decode of one file is one draw: where the 10 ms frames fall in the audio moves either
 * profile's WER by 2-3 points on this 61 s sample (bench/README.md, "Profiles"), so each profile decodes the lecture
 * behind 0, 37, 101 and 1031 samples of silence and is judged on the mean. The CPU bound is loose (a loaded CI
 * machine); bench/ measures the real ratio side by side with the CLI.
 */
class PocketsphinxProfileTest {

    /** Sub-frame and whole-frame shifts of the audio against pocketsphinx's 160-sample frames. */
    private static final int[] OFFSETS = {0, 37, 101, 1031};

    private static Decoded accurate;
    private static Decoded fast;

    /** Mean WER over the offsets, the CPU of all of them, and each offset's WER and text. */
    private record Decoded(double wer, double cpuSeconds, List<Double> wers, List<String> texts) {
        String describe() {
            return String.format(Locale.ROOT, "mean %.1f %% (%s) in %.2f s of CPU", wer * 100,
                    wers.stream().map(w -> String.format(Locale.ROOT, "%.1f", w * 100))
                            .collect(Collectors.joining(" / ")), cpuSeconds);
        }
    }

    @BeforeAll
    static void decodeTheLectureWithEachProfile() {
        Lecture.assumeEngineAvailable();
        short[] lecture = Lecture.samples();
        accurate = decode(PocketsphinxProfile.ACCURATE, lecture);
        fast = decode(PocketsphinxProfile.FAST, lecture);
        System.out.println("pocketsphinx lecture at offsets " + Arrays.toString(OFFSETS) + ": accurate "
                + accurate.describe() + "; fast " + fast.describe());
    }

    private static Decoded decode(PocketsphinxProfile profile, short[] lecture) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> wers = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        long cpu = 0;
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL, profile)) {
            for (int offset : OFFSETS) {
                short[] shifted = Lecture.concat(new short[offset], lecture);
                RecordingListener recorded = new RecordingListener();
                long before = threads.getCurrentThreadCpuTime();
                try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded)) {
                    Lecture.feed(stream, shifted, 100);
                }
                cpu += threads.getCurrentThreadCpuTime() - before;
                String text = recorded.finalText();
                wers.add(WordErrorRate.of(Lecture.transcript(), text));
                texts.add(text);
            }
        }
        double mean = wers.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new Decoded(mean, cpu / 1e9, wers, texts);
    }

    @Test
    void fastKeepsTheLecturesWordErrorRateWithinThreePointsOfAccurate() {
        // measured: fast's mean 1.1 points over accurate's through livecap's stream (bench/README.md, "Profiles")
        assertTrue(fast.wer <= accurate.wer + 0.03, "fast " + fast.describe() + " vs accurate "
                + accurate.describe() + "; fast's texts: " + fast.texts);
    }

    @Test
    void accurateTranscribesTheLectureWithinSixPercent() {
        assertTrue(accurate.wer <= 0.06, "accurate " + accurate.describe() + ": " + accurate.texts);
    }

    @Test
    void fastCostsClearlyLessCpu() {
        // measured 0.43-0.47x side by side (bench/ engine-cost); 0.7 leaves a loaded machine some noise
        assertTrue(fast.cpuSeconds < 0.7 * accurate.cpuSeconds,
                "fast " + fast.cpuSeconds + " s vs accurate " + accurate.cpuSeconds + " s of CPU");
    }

    @Test
    void theConfigurationChoosesTheProfile() {
        PocketsphinxProvider provider = new PocketsphinxProvider();
        assertEquals("accurate", provider.settings().get("pocketsphinx_profile"));
        assertEquals(PocketsphinxProfile.FAST, PocketsphinxProfile.parse(" Fast "));
        assertThrows(IllegalArgumentException.class, () -> PocketsphinxProfile.parse("fastest"));
        try (SpeechEngine engine = provider.load(new EngineSettings(Map.of("pocketsphinx_profile", "fast")))) {
            assertEquals("pocketsphinx", engine.name());
        }
    }

    @Test
    void everyProfileHandsTheCliTheSameModelAndVadArguments() {
        var accurateArgs = PocketsphinxEngine.decoderArguments(PocketsphinxEngine.DEFAULT_MODEL,
                PocketsphinxProfile.ACCURATE);
        var fastArgs = PocketsphinxEngine.decoderArguments(PocketsphinxEngine.DEFAULT_MODEL, PocketsphinxProfile.FAST);
        assertEquals(accurateArgs, fastArgs.subList(0, accurateArgs.size()));
        assertTrue(fastArgs.containsAll(PocketsphinxProfile.FAST.arguments()));
    }
}
