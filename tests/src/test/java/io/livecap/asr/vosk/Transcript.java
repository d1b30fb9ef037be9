package io.livecap.asr.vosk;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;

import java.util.ArrayList;
import java.util.List;

/** Everything a stream reported, each report with how much audio had been fed when it came. */
final class Transcript implements RecognitionListener {

    /** 100 ms: small enough that "fed so far" is where a report really came from, to within one chunk. */
    static final int CHUNK_SAMPLES = SpeechEngine.SAMPLE_RATE / 10;

    record Report(boolean isFinal, Hypothesis hypothesis, long fedMs) {
    }

    private final List<Report> reports = new ArrayList<>();
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
        return engine.openStream(StreamOptions.of("en-US"), this);
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

    @Override
    public void onPartial(Hypothesis partial) {
        reports.add(new Report(false, partial, fedMs()));
    }

    @Override
    public void onFinal(Hypothesis fin) {
        reports.add(new Report(true, fin, fedMs()));
    }

    long fedMs() {
        return fedSamples * 1000 / SpeechEngine.SAMPLE_RATE;
    }

    List<Report> reports() {
        return List.copyOf(reports);
    }

    List<Hypothesis> finals() {
        return reports.stream().filter(Report::isFinal).map(Report::hypothesis).toList();
    }

    List<RecognizedWord> finalWords() {
        return finals().stream().flatMap(f -> f.words().stream()).toList();
    }

    String finalText() {
        return String.join(" ", finals().stream().map(Hypothesis::text).toList());
    }

    /** How much audio had been fed when a partial first showed {@code count} words; -1 if none ever did. */
    long firstPartialWithWordsMs(int count) {
        return reports.stream().filter(r -> !r.isFinal() && r.hypothesis().words().size() >= count)
                .mapToLong(Report::fedMs).findFirst().orElse(-1);
    }
}
