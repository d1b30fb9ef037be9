package io.livecap.asr.pocketsphinx;

import io.livecap.testkit.RecordingListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.StreamOptions;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
