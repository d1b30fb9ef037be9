package io.livecap.asr.vosk;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.StreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoding contract, and what only exact, known audio can show, on the model {@link TestVoskModel} generates. */
class GeneratedModelDecodingTest extends VoskDecodingContract {

    /** Word times must match the bursts to this; Vosk's own resolution is one output frame, 30 ms. */
    static final long TIME_TOLERANCE_MS = 100;
    /**
     * How soon after a burst starts a partial must show it: the network runs on 20-frame (200 ms) chunks, the test
     * feeds 100 ms chunks, and a word needs a few frames to outscore silence. Measured: 200-300 ms; partials taken
     * from Vosk's lattice instead showed the first word 1.4 s after it started.
     */
    static final long PARTIAL_LATENCY_MS = 400;

    @TempDir
    static Path modelDir;
    static VoskEngine engine;

    @BeforeAll
    static void generateAndLoad() throws IOException {
        engine = VoskEngine.load(TestVoskModel.generate(modelDir));
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
        return tones("beep boop beep", new ToneBursts().silence(600).beep(600).silence(600).boop(600).silence(600)
                .beep(600).silence(1500));
    }

    @Override
    Sample second() {
        return tones("boop beep boop", new ToneBursts().silence(300).boop(400).silence(700).beep(800).silence(700)
                .boop(500).silence(400));
    }

    /**
     * The right words in order, each timed within 100 ms of its burst, and each shown by a partial within 400 ms of
     * its burst's start: partials follow the best path, not the lattice that trails it by up to 1.8 s.
     */
    static Sample tones(String name, ToneBursts tones) {
        return new Sample(name, tones.samples(), transcript -> {
            assertEquals(tones.words(), transcript.finalWords().stream().map(RecognizedWord::word).toList(),
                    name + ": " + transcript.finals());
            List<ToneBursts.Burst> bursts = tones.bursts();
            long worst = 0;
            for (int i = 0; i < bursts.size(); i++) {
                worst = Math.max(worst, assertTimed(bursts.get(i), transcript.finalWords().get(i)));
            }
            System.out.println(name + ": word times at most " + worst + " ms off their bursts");
            for (int i = 0; i < bursts.size(); i++) {
                long shownMs = transcript.firstPartialWithWordsMs(i + 1);
                System.out.println(name + ": " + bursts.get(i) + " first in a partial after " + shownMs + " ms of audio");
                assertTrue(shownMs >= 0 && shownMs - bursts.get(i).startMs() <= PARTIAL_LATENCY_MS,
                        "burst " + bursts.get(i) + " first shown by a partial at " + shownMs + " ms");
            }
        });
    }

    /** Returns how far off the word's times are. */
    static long assertTimed(ToneBursts.Burst burst, RecognizedWord word) {
        assertEquals(burst.word(), word.word());
        long off = Math.max(Math.abs(word.startMs() - burst.startMs()), Math.abs(word.endMs() - burst.endMs()));
        assertTrue(off <= TIME_TOLERANCE_MS, word + " for " + burst);
        return off;
    }

    @Test
    void wordsFinalAtAnEndpointAndAtFinishAreBothReported() {
        // 1.5 s of silence ends the first utterance (endpoint: its words come from getResult); the second is still
        // open when the audio ends (its words come from getFinalResult).
        ToneBursts tones = new ToneBursts().silence(500).beep(500).silence(600).boop(500).silence(1500).beep(500)
                .silence(200);
        Transcript transcript = Transcript.decode(engine, tones.samples());
        assertEquals(List.of("beep boop", "beep"), transcript.finals().stream().map(Hypothesis::text).toList());
        assertTrue(transcript.reports().get(transcript.reports().size() - 1).isFinal());
        for (int i = 0; i < tones.bursts().size(); i++) {
            assertTimed(tones.bursts().get(i), transcript.finalWords().get(i));
        }
    }

    @Test
    void oneLargeChunkIsDecodedInSlicesWithPartialsAlong() {
        Sample sample = first();
        Transcript transcript = new Transcript();
        try (RecognitionStream stream = transcript.open(engine)) {
            stream.acceptAudio(sample.audio(), sample.audio().length);
            stream.finish();
        }
        Transcript chunked = Transcript.decode(engine, sample.audio());
        assertEquals(chunked.finals(), transcript.finals());
        Hypothesis fin = transcript.finals().get(0);
        long partials = transcript.reports().stream().filter(r -> !r.isFinal()).count();
        assertTrue(partials >= (fin.endMs() - fin.startMs()) / MAX_PARTIAL_GAP_MS,
                partials + " partials over a " + (fin.endMs() - fin.startMs()) + " ms utterance fed in one call");
    }

    /**
     * libvosk rebuilds its feature pipeline every 20000 output frames (10 min) and keeps counting time across it;
     * this checks that word times stay stream-relative through that and through a dozen endpoints.
     */
    @Test
    void wordTimesStayStreamRelativeAcrossElevenMinutes() {
        ToneBursts tones = new ToneBursts();
        for (int i = 0; i < 33; i++) {
            tones.silence(19_400);
            if (i % 2 == 0) {
                tones.beep(600);
            } else {
                tones.boop(600);
            }
        }
        tones.silence(1500);
        long started = System.nanoTime();
        Transcript transcript = Transcript.decode(engine, tones.samples());
        System.out.printf("%d bursts over %.0f s decoded in %.1f s%n", tones.bursts().size(),
                tones.samples().length / 16000.0, (System.nanoTime() - started) / 1e9);
        assertEquals(tones.words(), transcript.finalWords().stream().map(RecognizedWord::word).toList());
        for (int i = 0; i < tones.bursts().size(); i++) {
            assertTimed(tones.bursts().get(i), transcript.finalWords().get(i));
        }
    }

    @Test
    void aClosedStreamRejectsAudioAndClosesAgainQuietly() {
        Transcript transcript = new Transcript();
        RecognitionStream stream = transcript.open(engine);
        stream.acceptAudio(new short[1600], 1600);
        stream.close();
        stream.close();
        assertThrows(IllegalStateException.class, () -> stream.acceptAudio(new short[1600], 1600));
        assertThrows(IllegalStateException.class, stream::finish);
    }

    @Test
    void aListenerMayCloseItsStreamFromACallback() {
        List<Hypothesis> partials = new ArrayList<>();
        RecognitionStream[] stream = new RecognitionStream[1];
        stream[0] = engine.openStream(StreamOptions.of("en-US"), new RecognitionListener() {
            @Override
            public void onPartial(Hypothesis partial) {
                partials.add(partial);
                stream[0].close();
            }

            @Override
            public void onFinal(Hypothesis fin) {
                throw new AssertionError("closed before any final");
            }
        });
        short[] audio = first().audio();
        stream[0].acceptAudio(audio, audio.length);
        assertEquals(1, partials.size());
        assertThrows(IllegalStateException.class, () -> stream[0].acceptAudio(audio, audio.length));
    }

    /** libvosk counts references to its model: closing the engine (a model reload) does not cut off open streams. */
    @Test
    void streamsOpenWhenTheEngineClosesDecodeToTheEnd() {
        VoskEngine own = VoskEngine.load(modelDir);
        Transcript transcript = new Transcript();
        Sample sample = first();
        try (RecognitionStream stream = transcript.open(own)) {
            own.close();
            own.close();
            transcript.feed(stream, sample.audio(), 0, sample.audio().length);
            stream.finish();
        }
        sample.assertRight().accept(transcript);
        assertThrows(IllegalStateException.class, () -> transcript.open(own));
    }
}
