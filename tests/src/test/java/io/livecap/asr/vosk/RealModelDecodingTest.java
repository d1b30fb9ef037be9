package io.livecap.asr.vosk;

import io.livecap.audio.WavAudio;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The decoding contract on a real (English) Vosk model, whenever {@code models/} holds one (first by name): speech from
 * the shared samples, judged by word error rate. Skipped when there is none.
 */
class RealModelDecodingTest extends VoskDecodingContract {

    static final Path MODELS = Path.of("models");
    /** Digits and a short phrase, clean speech: Vosk's small English model gets it (nearly) all. */
    static final double MAX_WER_VOSK_TEST = 0.2;
    /** Synthetic (flite) news sentences: CMU's pocketsphinx model gets about 3 % here; Vosk's should not do worse than this. */
    static final double MAX_WER_LECTURE = 0.2;

    static VoskEngine engine;

    @BeforeAll
    static void load() {
        Optional<Path> model = VoskEngine.findModel(MODELS);
        if (model.isPresent()) {
            engine = VoskEngine.load(model.get());
            System.out.println("real Vosk model: " + model.get().toAbsolutePath());
        }
    }

    /** Per test rather than per class: surefire then counts each test as skipped and keeps the reason. */
    @BeforeEach
    void needsARealModel() {
        assumeTrue(engine != null, "skipped: no Vosk model in " + MODELS.toAbsolutePath()
                + "; on a machine with internet run `models/fetch` (see models/README.md)");
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Override
    VoskEngine engine() {
        return engine;
    }

    @Override
    Sample first() {
        return speech(SharedAudio.VOSK_TEST, MAX_WER_VOSK_TEST);
    }

    @Override
    Sample second() {
        return speech(SharedAudio.LECTURE, MAX_WER_LECTURE);
    }

    static Sample speech(String name, double maxWer) {
        WavAudio wav;
        try {
            wav = WavAudio.read(SharedAudio.file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(16_000, wav.sampleRate(), name);
        assertEquals(1, wav.channels(), name);
        String reference = SharedAudio.transcript(name);
        return new Sample(name, wav.samples(), transcript -> {
            double wer = WordErrorRate.of(reference, transcript.finalText());
            System.out.printf("%s: WER %.3f (bound %.2f)%n", name, wer, maxWer);
            assertTrue(wer <= maxWer, name + ": WER " + wer + " > " + maxWer + "\n  heard: " + transcript.finalText()
                    + "\n  said:  " + reference);
        });
    }
}
