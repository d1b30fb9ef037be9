package io.livecap.asr.pocketsphinx;

import io.livecap.asr.RecognitionStream;
import io.livecap.audio.WavAudio;
import io.livecap.testkit.SharedAudio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared flite lecture (16 kHz mono, 13 sentences with 0.5 s pauses) and what tests do with it. */
final class Lecture {

    static final int SAMPLES_PER_MS = 16;
    /** About -50 dBFS: below it, this synthetic speech is silent. */
    private static final double QUIET_RMS = 100;

    private Lecture() {
    }

    static void assumeEngineAvailable() {
        Optional<String> reason = PocketsphinxEngine.unavailableReason(PocketsphinxEngine.DEFAULT_MODEL);
        assumeTrue(reason.isEmpty(), () -> "skipped: " + reason.orElse(""));
    }

    static short[] samples() {
        Path file = SharedAudio.file(SharedAudio.LECTURE);
        try {
            WavAudio wav = WavAudio.read(file);
            if (wav.sampleRate() != 16_000 || wav.channels() != 1) {
                throw new IllegalStateException(file + " is not 16 kHz mono");
            }
            return wav.samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String transcript() {
        return SharedAudio.transcript(SharedAudio.LECTURE);
    }

    /** The first seven sentences: up to the pause before the eighth, which starts at 29.53 s. */
    static short[] firstSevenSentences() {
        return Arrays.copyOf(samples(), 29_300 * SAMPLES_PER_MS);
    }

    /** Their reference: 11 + 10 + 11 + 12 + 11 + 12 + 11 words. */
    static String firstSevenSentencesTranscript() {
        return String.join(" ", Arrays.asList(transcript().split(" ")).subList(0, 78));
    }

    static short[] concat(short[]... parts) {
        short[] all = new short[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    static short[] silence(int ms) {
        return new short[ms * SAMPLES_PER_MS];
    }

    /** Feeds {@code samples} in chunks of {@code chunkMs}, as fast as the stream takes them, then finishes. */
    static void feed(RecognitionStream stream, short[] samples, int chunkMs) {
        int chunk = chunkMs * SAMPLES_PER_MS;
        short[] buffer = new short[chunk];
        for (int at = 0; at < samples.length; at += chunk) {
            int length = Math.min(chunk, samples.length - at);
            System.arraycopy(samples, at, buffer, 0, length);
            stream.acceptAudio(buffer, length);
        }
        stream.finish();
    }

    /** The audio with every quiet stretch cut to 50 ms: speech the VAD never hears end. */
    static short[] withoutPauses(short[] samples) {
        int frame = 10 * SAMPLES_PER_MS;
        short[] kept = new short[samples.length];
        int length = 0;
        int quietFrames = 0;
        for (int f = 0; (f + 1) * frame <= samples.length; f++) {
            quietFrames = rms(samples, f * frame, frame) > QUIET_RMS ? 0 : quietFrames + 1;
            if (quietFrames <= 5) {
                System.arraycopy(samples, f * frame, kept, length, frame);
                length += frame;
            }
        }
        return Arrays.copyOf(kept, length);
    }

    /**
     * Where speech starts by the signal alone: the first 10 ms frame whose RMS exceeds about -50 dBFS after at
     * least 300 ms of frames below it.
     */
    static List<Long> speechOnsetsMs(short[] samples) {
        int frame = 10 * SAMPLES_PER_MS;
        List<Long> onsets = new ArrayList<>();
        int quietFrames = 30;
        for (int f = 0; (f + 1) * frame <= samples.length; f++) {
            if (rms(samples, f * frame, frame) > QUIET_RMS) {
                if (quietFrames >= 30) {
                    onsets.add(f * 10L);
                }
                quietFrames = 0;
            } else {
                quietFrames++;
            }
        }
        return onsets;
    }

    private static double rms(short[] samples, int from, int count) {
        double energy = 0;
        for (int i = from; i < from + count; i++) {
            energy += (double) samples[i] * samples[i];
        }
        return Math.sqrt(energy / count);
    }
}
