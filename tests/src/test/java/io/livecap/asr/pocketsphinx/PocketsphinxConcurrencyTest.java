package io.livecap.asr.pocketsphinx;

import io.livecap.testkit.RecordingListener;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.StreamOptions;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PocketsphinxConcurrencyTest {

    @Test
    void twoStreamsOfOneEngineDecodeOnTwoThreadsAtOnce() throws Exception {
        Lecture.assumeEngineAvailable();
        short[] lecture = Lecture.firstSevenSentences();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL)) {
            // both streams exist before either is fed, so they cannot be one decoder taking turns
            RecordingListener first = new RecordingListener();
            RecordingListener second = new RecordingListener();
            RecognitionStream a = engine.openStream(StreamOptions.of("en-US"), first);
            RecognitionStream b = engine.openStream(StreamOptions.of("en-US"), second);
            CountDownLatch start = new CountDownLatch(2);
            List<Callable<Void>> feeds = List.of(() -> feedTogether(a, lecture, start),
                    () -> feedTogether(b, lecture, start));
            for (Future<Void> decoding : threads.invokeAll(feeds)) {
                decoding.get(); // rethrows a stream's failure
            }

            for (RecordingListener results : List.of(first, second)) {
                double wer = WordErrorRate.of(Lecture.firstSevenSentencesTranscript(), results.finalText());
                System.out.printf("pocketsphinx two threads: WER %.1f %%%n", wer * 100);
                assertTrue(wer <= 0.10, "WER " + wer + ": " + results.finalText());
            }
            // one audio, one model, independent decoders: the same words
            assertEquals(first.finalText(), second.finalText());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void streamsTakeTurnsWhenTheEngineDecodesOnOneThread() throws Exception {
        Lecture.assumeEngineAvailable();
        short[] lecture = Arrays.copyOf(Lecture.firstSevenSentences(), 12_000 * Lecture.SAMPLES_PER_MS);
        int streams = 3;
        ExecutorService threads = Executors.newFixedThreadPool(streams);
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL,
                PocketsphinxProfile.ACCURATE, 1)) {
            List<RecordingListener> results = new ArrayList<>();
            List<Callable<Void>> feeds = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(streams);
            for (int i = 0; i < streams; i++) {
                RecordingListener recorded = new RecordingListener();
                results.add(recorded);
                RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), recorded);
                feeds.add(() -> feedTogether(stream, lecture, start));
            }
            for (Future<Void> decoding : threads.invokeAll(feeds)) {
                decoding.get();
            }
            assertEquals(1, engine.mostDecodingAtOnce(), "streams decoded at the same time on a one-thread engine");
            for (RecordingListener recorded : results) {
                assertEquals(results.get(0).finalText(), recorded.finalText());
                assertTrue(recorded.finalText().split(" ").length >= 25, recorded.finalText());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aListenerThatBlocksHoldsNoTurn() throws Exception {
        Lecture.assumeEngineAvailable();
        short[] lecture = Arrays.copyOf(Lecture.firstSevenSentences(), 8_000 * Lecture.SAMPLES_PER_MS);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL,
                PocketsphinxProfile.ACCURATE, 1)) {
            // e.g. a caption store that stopped answering: this stream's listener waits on its first result
            RecordingListener slowResults = new RecordingListener();
            RecognitionStream slow = engine.openStream(StreamOptions.of("en-US"), new RecognitionListener() {
                @Override
                public void onPartial(Hypothesis partial) {
                    waitOnce();
                    slowResults.onPartial(partial);
                }

                @Override
                public void onFinal(Hypothesis fin) {
                    waitOnce();
                    slowResults.onFinal(fin);
                }

                private void waitOnce() {
                    stuck.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Future<Void> slowFeed = threads.submit(() -> {
                try (slow) {
                    Lecture.feed(slow, lecture, 100);
                }
                return null;
            });
            assertTrue(stuck.await(60, TimeUnit.SECONDS), "the slow stream never heard anything");
            RecordingListener other = new RecordingListener();
            Future<Void> otherFeed = threads.submit(() -> {
                try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), other)) {
                    Lecture.feed(stream, lecture, 100);
                }
                return null;
            });
            // the only turn is free while the slow stream's listener waits, so the other stream decodes to the end
            otherFeed.get(60, TimeUnit.SECONDS);
            assertTrue(other.finalText().split(" ").length >= 15, other.finalText());
            release.countDown();
            slowFeed.get(60, TimeUnit.SECONDS);
            assertEquals(other.finalText(), slowResults.finalText());
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    /** Feeds and closes the stream once both threads are ready. */
    private static Void feedTogether(RecognitionStream stream, short[] audio, CountDownLatch start)
            throws InterruptedException {
        start.countDown();
        start.await();
        try (stream) {
            Lecture.feed(stream, audio, 100);
        }
        return null;
    }
}
