package io.livecap.asr;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recogniser opens at the first audio and after each release, and its listener hears one timeline: each
 * engine recogniser counts from its own first sample, the listener from the stream's.
 */
class OnDemandRecognizerTest {

    /** An engine whose recognisers report one word per call to finish: the audio they heard, by their own clock. */
    private static final class CountingSamples implements SpeechEngine {
        int opened;
        int closed;

        @Override
        public String name() {
            return "samples";
        }

        @Override
        public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
            opened++;
            return new RecognitionStream() {
                long heard;

                @Override
                public void acceptAudio(short[] samples, int length) {
                    heard += length;
                }

                @Override
                public void finish() {
                    long endMs = heard * 1000 / SAMPLE_RATE;
                    listener.onFinal(new Hypothesis(List.of(new RecognizedWord("w", 0, endMs, 1)), 0, endMs));
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }

        @Override
        public void close() {
        }
    }

    @Test
    void opensOnlyForAudioAndKeepsOneTimelineAcrossReleases() {
        CountingSamples engine = new CountingSamples();
        List<Hypothesis> finals = new ArrayList<>();
        CountingEngine counted = new CountingEngine(engine);
        try (OnDemandRecognizer recognizer = new OnDemandRecognizer(counted, StreamOptions.of("en-US"),
                new RecognitionListener() {
                    @Override
                    public void onPartial(Hypothesis partial) {
                    }

                    @Override
                    public void onFinal(Hypothesis fin) {
                        finals.add(fin);
                    }
                })) {
            recognizer.acceptAudio(new short[0], 0);
            recognizer.finish();
            assertFalse(recognizer.release(), "no audio, nothing to release");
            assertEquals(0, engine.opened, "no audio, no recogniser");

            recognizer.acceptAudio(new short[16_000], 16_000); // 1 s
            assertEquals(1, counted.openRecognizers());
            assertTrue(recognizer.release());
            assertEquals(0, counted.openRecognizers());
            assertEquals(List.of(0L, 1000L), List.of(finals.get(0).startMs(), finals.get(0).endMs()));

            recognizer.acceptAudio(new short[8_000], 8_000); // 0.5 s more, a fresh recogniser
            recognizer.finish();
            assertEquals(2, recognizer.timesOpened());
            Hypothesis second = finals.get(1);
            assertEquals(1000, second.startMs(), "the second recogniser's 0 is the stream's 1000 ms");
            assertEquals(1500, second.endMs());
            assertEquals(1000, second.words().get(0).startMs());
            assertEquals(1500, second.words().get(0).endMs());
        }
        assertEquals(0, counted.openRecognizers(), "closing the stream closes its recogniser");
        assertEquals(engine.opened, engine.closed);
    }
}
