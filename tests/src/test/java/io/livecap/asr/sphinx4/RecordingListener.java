package io.livecap.asr.sphinx4;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognizedWord;

import java.util.ArrayList;
import java.util.List;

/** Keeps what a stream reported, in order, and the thread it was reported on. */
final class RecordingListener implements RecognitionListener {

    record Event(Hypothesis hypothesis, boolean fin, Thread thread) {
    }

    final List<Event> events = new ArrayList<>();

    @Override
    public void onPartial(Hypothesis partial) {
        events.add(new Event(partial, false, Thread.currentThread()));
    }

    @Override
    public void onFinal(Hypothesis fin) {
        events.add(new Event(fin, true, Thread.currentThread()));
    }

    List<Hypothesis> finals() {
        return events.stream().filter(Event::fin).map(Event::hypothesis).toList();
    }

    List<RecognizedWord> finalWords() {
        return finals().stream().flatMap(h -> h.words().stream()).toList();
    }

    String text() {
        return String.join(" ", finals().stream().map(Hypothesis::text).toList());
    }
}
