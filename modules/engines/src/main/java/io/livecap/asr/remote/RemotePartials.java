package io.livecap.asr.remote;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a worker's partials (the vosk-server protocol's {@code {"partial": text}}: words without times) into
 * hypotheses with word times, and holds back the replayed ones after a switch. One per stream, on its thread.
 *
 * <p><b>Times.</b> A word keeps the stretch of audio in which it first appeared for as long as the worker keeps it
 * (the words the partial shares from its start with the one before keep theirs); the others are placed between the
 * audio heard at the previous partial and the audio heard now. So a word the worker keeps saying grows older as it
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

    private final List<RecognizedWord> words = new ArrayList<>(); // the last partial's, placed
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
        int kept = 0;
        while (kept < Math.min(words.size(), text.size()) && words.get(kept).word().equals(text.get(kept))
                && words.get(kept).startMs() >= floorMs) {
            kept++;
        }
        List<RecognizedWord> placed = new ArrayList<>(words.subList(0, kept));
        long from = kept > 0 ? placed.get(kept - 1).endMs() : floorMs;
        if (heardMs <= nowMs) {
            from = Math.max(from, heardMs); // new words were heard since the previous partial
        }
        from = Math.max(floorMs, Math.min(from, nowMs));
        for (String word : text.subList(kept, text.size())) {
            placed.add(new RecognizedWord(word, from, nowMs, 0));
        }
        words.clear();
        words.addAll(placed);
        heardMs = nowMs;
        if (placed.isEmpty() || nowMs <= holdThroughMs) {
            return null;
        }
        return new Hypothesis(placed, placed.get(0).startMs(), nowMs);
    }

    /** The utterance ended (a final, even one whose words were all dropped): the next partial starts afresh. */
    void utteranceEnded() {
        words.clear();
    }

    /** The stream moved to another worker; subscribers may have been shown partials up to {@code shownThroughMs}. */
    void switched(long shownThroughMs) {
        holdThroughMs = Math.max(holdThroughMs, shownThroughMs);
    }
}
