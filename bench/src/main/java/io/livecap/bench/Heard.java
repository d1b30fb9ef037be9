package io.livecap.bench;

import io.livecap.asr.Hypothesis;
import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import io.livecap.client.CaptionClient;

import java.util.List;

/**
 * A result as its listener got it, and when: a caption message off the websocket, or (for the engine measured
 * alone) a hypothesis from the engine's callback. Both are measured by the same {@link StreamLatency}.
 */
record Heard(long arrivedEpochMs, long utterance, boolean isFinal, List<CaptionWord> words) {

    static Heard of(CaptionClient.Received received) {
        Caption c = received.caption();
        return new Heard(received.arrivedEpochMs(), c.utterance(), c.isFinal(), c.words());
    }

    static Heard of(Hypothesis hypothesis, long utterance, boolean isFinal, long arrivedEpochMs) {
        return new Heard(arrivedEpochMs, utterance, isFinal, hypothesis.words().stream()
                .map(w -> new CaptionWord(w.word(), w.startMs(), w.endMs(), w.confidence())).toList());
    }
}
