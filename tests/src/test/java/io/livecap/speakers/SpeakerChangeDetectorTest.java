package io.livecap.speakers;

import io.livecap.audio.WavAudio;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's bar for speaker changes, on the detector alone: every change among three flite voices found within
 * 1.5 s, and at most one false change a minute on one voice (the shared lecture).
 */
class SpeakerChangeDetectorTest {

    private static final long TOLERANCE_MS = 1_500;

    @Test
    void marksEveryTurnOfThreeVoicesWithinOneAndAHalfSeconds(@TempDir Path dir) throws Exception {
        ThreeVoices voices = ThreeVoices.make(dir);
        List<Long> found = detect(voices.samples(), "three voices");
        System.out.println("speaker changes, three voices: true " + voices.changesMs());
        for (long change : voices.changesMs()) {
            assertTrue(found.stream().anyMatch(f -> Math.abs(f - change) <= TOLERANCE_MS),
                    "change at " + change + " ms not found within 1.5 s: found " + found);
        }
        long falseChanges = found.stream()
                .filter(f -> voices.changesMs().stream().noneMatch(c -> Math.abs(f - c) <= TOLERANCE_MS)).count();
        double minutes = voices.durationMs() / 60_000.0;
        assertTrue(falseChanges <= Math.max(1, Math.floor(minutes)),
                falseChanges + " false changes in " + minutes + " min: found " + found + ", true "
                        + voices.changesMs());
    }

    @Test
    void findsAtMostOneChangeAMinuteInOneVoice() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        assertEquals(16_000, lecture.sampleRate());
        List<Long> found = detect(lecture.samples(), "lecture");
        double minutes = lecture.samples().length / 16_000.0 / 60;
        assertTrue(found.size() <= Math.max(1, Math.floor(minutes)),
                found.size() + " changes in " + minutes + " min of one voice: " + found);
    }

    private static List<Long> detect(short[] samples, String name) {
        List<Long> found = new ArrayList<>();
        SpeakerChangeDetector detector = new SpeakerChangeDetector(
                Double.parseDouble(System.getProperty("speakers.lambda", "" + SpeakerChangeDetector.DEFAULT_LAMBDA)),
                Integer.getInteger("speakers.side", SpeakerChangeDetector.SIDE_FRAMES), found::add);
        if (Boolean.getBoolean("speakers.scores")) {
            detector.recordScores();
        }
        long cpuBefore = cpuNanos();
        for (int at = 0; at < samples.length; at += 1_600) { // 100 ms chunks, as a stream delivers them
            int n = Math.min(1_600, samples.length - at);
            short[] chunk = new short[n];
            System.arraycopy(samples, at, chunk, 0, n);
            detector.accept(chunk, n);
        }
        double cpuMsPerSecond = (cpuNanos() - cpuBefore) / 1e6 / (samples.length / 16_000.0);
        System.out.printf("speaker changes, %s: found %s; cpu %.2f ms per audio second%n", name, found,
                cpuMsPerSecond);
        if (Boolean.getBoolean("speakers.scores")) { // for tuning lambda: -Dspeakers.scores=true
            detector.scores().forEach(s -> System.out.printf("score %s %.0f %.3f%n", name, s[0], s[1]));
        }
        return found;
    }

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
