package io.livecap.asr.vosk;

import io.livecap.testkit.RecordingListener;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What decoding with any Vosk model must do; a subclass brings a model and two samples with what each says.
 * Run on the generated test model always, and on a real model whenever one is in {@code models/}.
 */
abstract class VoskDecodingContract {

    /** A recording, and the check that a transcript of it is right. */
    record Sample(String name, short[] audio, Consumer<Transcript> assertRight) {

        long durationMs() {
            return audio.length * 1000L / SpeechEngine.SAMPLE_RATE;
        }
    }

    static final long MAX_PARTIAL_GAP_MS = 300;
    static final int CYCLES = 200;

    abstract VoskEngine engine();

    abstract Sample first();

    abstract Sample second();

    @Test
    void decodesInOrderWithPartialsBeforeFinals() {
        Sample sample = first();
        long started = System.nanoTime();
        Transcript transcript = Transcript.decode(engine(), sample.audio());
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s: %s | %.2f s for %.2f s of audio, real-time factor %.3f, %d partials, %d finals%n",
                sample.name(), transcript.finalText(), seconds, sample.durationMs() / 1000.0,
                seconds * 1000 / sample.durationMs(), transcript.reports().size() - transcript.finals().size(),
                transcript.finals().size());
        assertWellFormed(transcript, sample);
        sample.assertRight().accept(transcript);
    }

    @Test
    void twoStreamsOnOneModelDecodeAtOnceOnTwoThreads() throws Exception {
        List<Sample> samples = List.of(first(), second());
        // Lockstep, chunk by chunk: both recognisers are inside libvosk at the same time, on the same model.
        Phaser lockstep = new Phaser(samples.size());
        ExecutorService threads = Executors.newFixedThreadPool(samples.size());
        try {
            List<Future<Transcript>> decoding = new ArrayList<>();
            for (Sample sample : samples) {
                decoding.add(threads.submit(() -> {
                    Transcript transcript = new Transcript();
                    try (RecognitionStream stream = transcript.open(engine())) {
                        short[] audio = sample.audio();
                        for (int at = 0; at < audio.length; at += Transcript.CHUNK_SAMPLES) {
                            transcript.feed(stream, audio, at, Math.min(audio.length, at + Transcript.CHUNK_SAMPLES));
                            lockstep.arriveAndAwaitAdvance();
                        }
                        stream.finish();
                    } finally {
                        lockstep.arriveAndDeregister();
                    }
                    return transcript;
                }));
            }
            for (int i = 0; i < samples.size(); i++) {
                Transcript transcript = decoding.get(i).get(120, TimeUnit.SECONDS);
                System.out.println(samples.get(i).name() + " (two at once): " + transcript.finalText());
                assertWellFormed(transcript, samples.get(i));
                samples.get(i).assertRight().accept(transcript);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * 200 streams opened, fed up to a second (half the sample at most, so mid-utterance) and closed, in a JVM of its
     * own ({@link RecognizerChurn}). Resident memory may grow over the cycles by no more than 20 streams held open at
     * once cost: it would if even a tenth of the closed recognisers stayed allocated. Measured with the generated
     * model: 20 streams cost about 1.5 MB, the 200 cycles add 4-300 kB; with close() not freeing, 15 MB.
     */
    @Test
    void closingAStreamMidUtteranceFreesItsRecognizer() throws Exception {
        short[] audio = first().audio();
        short[] part = Arrays.copyOf(audio, Math.min(audio.length / 2, SpeechEngine.SAMPLE_RATE));
        Path pcm = Files.createTempFile("livecap-vosk-churn", ".pcm");
        try {
            RecognizerChurn.writePcm(pcm, part);
            Map<String, Long> rss = churn(RecognizerChurn.class, engine().modelDir().toAbsolutePath().toString(),
                    pcm.toString(), String.valueOf(CYCLES));
            long streamsCost = rss.get("held") - rss.get("churned");
            long growth = rss.get("churned") - rss.get("warm");
            long bound = Math.max(streamsCost, 512);
            System.out.printf("%s: VmRSS after warm-up %d kB, after %d open/feed %.1f s/close cycles %d kB: grew %d kB "
                            + "(bound %d kB = %d streams held open, %d kB each)%n",
                    first().name(), rss.get("warm"), CYCLES, part.length / (double) SpeechEngine.SAMPLE_RATE,
                    rss.get("churned"), growth, bound, RecognizerChurn.HELD, streamsCost / RecognizerChurn.HELD);
            assertTrue(growth <= bound, "resident memory grew by " + growth + " kB over " + CYCLES
                    + " closed streams, more than " + RecognizerChurn.HELD + " open streams cost (" + bound + " kB)");
        } finally {
            Files.deleteIfExists(pcm);
        }
    }

    /**
     * A fixed, small heap touched up front ({@code -XX:+AlwaysPreTouch}), the serial collector and the client compiler
     * only: measured, RSS then moves by a few kB across the cycles instead of by up to 20 MB as heap and JIT grow.
     */
    static Map<String, Long> churn(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (String property : List.of("jna.tmpdir", VoskEngine.LOG_LEVEL_PROPERTY)) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        if (!child.waitFor(120, TimeUnit.SECONDS) || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " failed:\n" + output);
        }
        Map<String, Long> rss = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] keyValue = line.trim().split("=");
            if (keyValue.length == 2 && keyValue[1].matches("\\d+")) {
                rss.put(keyValue[0], Long.parseLong(keyValue[1]));
            }
        }
        assertEquals(3, rss.size(), "churn output:\n" + output);
        return rss;
    }

    /**
     * Holds for any model and audio: finals come, each after partials of its utterance; while an utterance is open a
     * report comes at least every 300 ms of audio; final words are timed inside the audio, in order, confidences 0..1.
     */
    static void assertWellFormed(Transcript transcript, Sample sample) {
        assertFalse(transcript.finals().isEmpty(), sample.name() + ": no final at all");
        boolean open = false;
        boolean partialSinceFinal = false;
        long lastReportMs = 0;
        for (RecordingListener.Result report : transcript.reports()) {
            if (open) {
                long gap = report.fedMs() - lastReportMs;
                assertTrue(gap <= MAX_PARTIAL_GAP_MS, sample.name() + ": " + gap + " ms of audio without a report "
                        + "in an open utterance, before " + report);
            }
            lastReportMs = report.fedMs();
            if (report.isFinal()) {
                assertTrue(partialSinceFinal, sample.name() + ": a final with no partial before it: " + report);
                open = false;
                partialSinceFinal = false;
            } else {
                open = !report.hypothesis().isEmpty();
                partialSinceFinal |= open;
            }
        }
        long previousStart = 0;
        for (Hypothesis fin : transcript.finals()) {
            assertEquals(fin.words().get(0).startMs(), fin.startMs());
            assertEquals(fin.words().get(fin.words().size() - 1).endMs(), fin.endMs());
            for (RecognizedWord word : fin.words()) {
                assertTrue(word.startMs() >= previousStart && word.startMs() <= word.endMs()
                        && word.endMs() <= sample.durationMs(), sample.name() + ": word out of place: " + word);
                assertTrue(word.confidence() >= 0 && word.confidence() <= 1, "confidence of " + word);
                assertNotEquals("", word.word());
                previousStart = word.startMs();
            }
        }
    }
}
