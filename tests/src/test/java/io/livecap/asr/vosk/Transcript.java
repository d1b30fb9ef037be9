package io.livecap.asr.vosk;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.testkit.RecordingListener;

import java.util.List;

/** A stream fed in 100 ms chunks, and everything it reported with how much audio had been fed when it came. */
final class Transcript {

    /** 100 ms: small enough that "fed so far" is where a report really came from, to within one chunk. */
    static final int CHUNK_SAMPLES = SpeechEngine.SAMPLE_RATE / 10;

    private final RecordingListener recorded = new RecordingListener(this::fedMs);
    private long fedSamples;

    /** Opens a stream, feeds all of {@code audio} in 100 ms chunks, finishes and closes it. */
    static Transcript decode(SpeechEngine engine, short[] audio) {
        Transcript transcript = new Transcript();
        try (RecognitionStream stream = transcript.open(engine)) {
            transcript.feed(stream, audio, 0, audio.length);
            stream.finish();
        }
        return transcript;
    }

    RecognitionStream open(SpeechEngine engine) {
        return engine.openStream(StreamOptions.of("en-US"), recorded);
    }

    /** Feeds samples {@code from} (inclusive) to {@code to} in 100 ms chunks, from a buffer reused for every chunk. */
    void feed(RecognitionStream stream, short[] audio, int from, int to) {
        short[] chunk = new short[CHUNK_SAMPLES];
        for (int at = from; at < to; at += CHUNK_SAMPLES) {
            int n = Math.min(CHUNK_SAMPLES, to - at);
            System.arraycopy(audio, at, chunk, 0, n);
            fedSamples += n;
            stream.acceptAudio(chunk, n);
        }
    }

    long fedMs() {
        return fedSamples * 1000 / SpeechEngine.SAMPLE_RATE;
    }

    List<RecordingListener.Result> reports() {
        return recorded.results();
    }

    List<Hypothesis> finals() {
        return recorded.finals();
    }

    List<RecognizedWord> finalWords() {
        return recorded.finalWords();
    }

    String finalText() {
        return recorded.finalText();
    }

    /** How much audio had been fed when a partial first showed {@code count} words; -1 if none ever did. */
    long firstPartialWithWordsMs(int count) {
        return reports().stream().filter(r -> !r.isFinal() && r.hypothesis().words().size() >= count)
                .mapToLong(RecordingListener.Result::fedMs).findFirst().orElse(-1);
    }
}
