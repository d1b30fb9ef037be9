package io.livecap.asr.pocketsphinx;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Everything a stream reported, in order. */
final class RecordedResults implements RecognitionListener {

    record Result(boolean isFinal, Hypothesis hypothesis) {
    }

    final List<Result> results = new ArrayList<>();

    @Override
    public void onPartial(Hypothesis partial) {
        results.add(new Result(false, partial));
    }

    @Override
    public void onFinal(Hypothesis fin) {
        results.add(new Result(true, fin));
    }

    List<Hypothesis> finals() {
        return results.stream().filter(Result::isFinal).map(Result::hypothesis).toList();
    }

    String finalText() {
        return finals().stream().map(Hypothesis::text).collect(Collectors.joining(" "));
    }
}
