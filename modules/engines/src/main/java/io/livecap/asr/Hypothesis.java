package io.livecap.asr;

import java.util.List;

/**
 * What the engine heard in one utterance so far (partial) or in the whole utterance (final).
 *
 * @param words   the words with times; for a partial an engine may give words without reliable times
 * @param startMs where the utterance's speech starts, in ms of stream audio
 * @param endMs   where the heard speech ends, in ms of stream audio
 */
public record Hypothesis(List<RecognizedWord> words, long startMs, long endMs) {

    public Hypothesis {
        words = List.copyOf(words);
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        for (RecognizedWord w : words) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(w.word());
        }
        return text.toString();
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }
}
