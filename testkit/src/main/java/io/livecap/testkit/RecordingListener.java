package io.livecap.testkit;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognizedWord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/** Records every result an engine reports, with how much audio had been fed then and on which thread. */
public final class RecordingListener implements RecognitionListener {

    /** One partial or final; {@code fedMs} is -1 when the feeder does not say. */
    public record Result(boolean isFinal, Hypothesis hypothesis, long fedMs, Thread thread) {
    }

    private final List<Result> results = new CopyOnWriteArrayList<>();
    private final LongSupplier fedMs;

    public RecordingListener() {
        this(() -> -1);
    }

    /** @param fedMs how much audio the feeder has given the stream so far, asked at each report */
    public RecordingListener(LongSupplier fedMs) {
        this.fedMs = fedMs;
    }

    @Override
    public void onPartial(Hypothesis partial) {
        results.add(new Result(false, partial, fedMs.getAsLong(), Thread.currentThread()));
    }

    @Override
    public void onFinal(Hypothesis fin) {
        results.add(new Result(true, fin, fedMs.getAsLong(), Thread.currentThread()));
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    public List<Hypothesis> finals() {
        return results.stream().filter(Result::isFinal).map(Result::hypothesis).toList();
    }

    public List<RecognizedWord> finalWords() {
        return finals().stream().flatMap(h -> h.words().stream()).toList();
    }

    public String finalText() {
        return finals().stream().map(Hypothesis::text).collect(Collectors.joining(" "));
    }
}
