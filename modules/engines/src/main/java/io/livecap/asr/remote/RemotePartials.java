package io.livecap.asr.remote;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a worker's partials (the vosk-server protocol's {@code {"partial": text}}: words without times) into
 * hypotheses with word times, and holds back the replayed ones after a switch. One per stream, on its thread.
 *
 * <p><b>Times.</b> The n-th word of an utterance's partials gets the stretch of audio in which a partial first had n
 * words: between the audio heard at the partial before and the audio heard then. By place, not by text: a word the
 * worker revises is still about the audio its place was heard in, and placing it later would let the stabiliser take
 * it for a new word after the committed ones (shown twice). So a word the worker keeps saying grows older as it
 * hears more, as an engine's own word times would, and the captions' stabiliser (which commits a word once
 * hypotheses agree on it and the engine has heard past it) can commit it. Giving every word the end of the audio
 * heard, as before, meant no word was ever heard past: at the default stability no remote partial was shown at all.
 *
 * <p><b>After a switch.</b> The new worker first re-hears the audio since the last final, which subscribers were
 * already shown as partials of the dead worker; forwarding those again would shrink the caption line and grow it back
 * (at {@code low}/{@code off} stability). So partials that reach no further than the audio the dead worker had
 * answered are only placed (their times carry on), not forwarded; the first that reaches past it is.
 */
final class RemotePartials {

    // the audio each place of the utterance's partials was first heard in ({start, end} ms); kept when a partial is
    // shorter (as the replay's first ones are), so a place keeps its time when the words grow back
    private final List<long[]> slots = new ArrayList<>();
    private long heardMs = Long.MIN_VALUE; // the audio heard at the last partial
    private long holdThroughMs = Long.MIN_VALUE;

    /**
     * The partial to forward, or null when there is none (no words) or it is held back after a switch.
     *
     * @param text    the partial's words, markup already removed
     * @param floorMs where the utterance can start at the earliest (the last final's end, or the connection's start)
     * @param nowMs   the stream audio the worker has heard when it answered this
     */
    Hypothesis place(List<String> text, long floorMs, long nowMs) {
        if (!slots.isEmpty() && slots.get(0)[0] < floorMs) {
            slots.clear(); // from before the utterance (not expected: its end clears them)
        }
        // new places were heard since the previous partial
        long from = Math.max(slots.isEmpty() ? floorMs : slots.get(slots.size() - 1)[1],
                heardMs <= nowMs ? heardMs : Long.MIN_VALUE);
        from = Math.max(floorMs, Math.min(from, nowMs));
        while (slots.size() < text.size()) {
            slots.add(new long[] {from, nowMs});
        }
        heardMs = nowMs;
        if (text.isEmpty() || nowMs <= holdThroughMs) {
            return null;
        }
        List<RecognizedWord> placed = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            long end = Math.min(slots.get(i)[1], nowMs); // a replay re-hears from further back
            placed.add(new RecognizedWord(text.get(i), Math.min(slots.get(i)[0], end), end, 0));
        }
        return new Hypothesis(placed, placed.get(0).startMs(), nowMs);
    }

    /** The utterance ended (a final, even one whose words were all dropped): the next partial starts afresh. */
    void utteranceEnded() {
        slots.clear();
    }

    /** The stream moved to another worker; subscribers may have been shown partials up to {@code shownThroughMs}. */
    void switched(long shownThroughMs) {
        holdThroughMs = Math.max(holdThroughMs, shownThroughMs);
    }
}
