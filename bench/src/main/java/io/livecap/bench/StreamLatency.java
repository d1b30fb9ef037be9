package io.livecap.bench;

import io.livecap.captions.CaptionWord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Caption latency of one stream, from what a listener heard and when each sample was sent.
 * <ul>
 * <li>partial latency, per word of the finals: from the send time of the word's last sample (its end in the final)
 *     to the arrival of the first result of its utterance that already holds it at the same position (a partial,
 *     or the final itself when no partial showed it);</li>
 * <li>final latency, per utterance: from the send time of its last word's last sample to the arrival of its last
 *     final (a long utterance comes as several finals, one per caption block).</li>
 * </ul>
 * Words are judged by the final's times: a partial can only be right about a word the final keeps. A word is the
 * same whatever its case and punctuation: the restorer ends a sentence with a full stop only in its final, but
 * the viewer read the word when the partial showed it.
 */
final class StreamLatency {

    /**
     * One measurement, placed at the audio time it is about (the word's or utterance's end); {@code lastWord} marks
     * an utterance's last word, which an engine often shows only in the final.
     */
    record Latency(long audioMs, long ms, boolean lastWord) {

        Latency(long audioMs, long ms) {
            this(audioMs, ms, false);
        }
    }

    private final List<Latency> partial = new ArrayList<>();
    private final List<Latency> finals = new ArrayList<>();

    StreamLatency(List<Heard> heard, SendLog sent) {
        Map<Long, List<CaptionWord>> utteranceWords = new LinkedHashMap<>();
        Map<Long, Long> finalArrival = new LinkedHashMap<>();
        for (Heard h : heard) {
            if (h.isFinal() && !h.words().isEmpty()) {
                utteranceWords.computeIfAbsent(h.utterance(), u -> new ArrayList<>()).addAll(h.words());
                finalArrival.put(h.utterance(), h.arrivedEpochMs());
            }
        }
        for (Map.Entry<Long, List<CaptionWord>> u : utteranceWords.entrySet()) {
            List<CaptionWord> words = u.getValue();
            long endMs = words.get(words.size() - 1).endMs();
            finals.add(new Latency(endMs, finalArrival.get(u.getKey()) - sent.sentEpochMs(endMs)));
            for (int i = 0; i < words.size(); i++) {
                CaptionWord word = words.get(i);
                long seen = firstSeen(heard, u.getKey(), i, word.word());
                partial.add(new Latency(word.endMs(), seen - sent.sentEpochMs(word.endMs()), i == words.size() - 1));
            }
        }
    }

    List<Latency> partial() {
        return List.copyOf(partial);
    }

    List<Latency> finals() {
        return List.copyOf(finals);
    }

    private static long firstSeen(List<Heard> heard, long utterance, int index, String word) {
        int finalOffset = 0;
        for (Heard h : heard) {
            if (h.utterance() != utterance) {
                continue;
            }
            if (!h.isFinal()) {
                if (h.words().size() > index && sameWord(h.words().get(index).word(), word)) {
                    return h.arrivedEpochMs();
                }
            } else {
                if (index < finalOffset + h.words().size()) {
                    return h.arrivedEpochMs();
                }
                finalOffset += h.words().size();
            }
        }
        throw new IllegalStateException("word " + index + " of utterance " + utterance + " never arrived");
    }

    /** Equal letters and digits, ignoring case: what a restorer may change ("lecture" is "Lecture."). */
    static boolean sameWord(String a, String b) {
        return letters(a).equals(letters(b));
    }

    private static String letters(String word) {
        StringBuilder kept = new StringBuilder(word.length());
        word.codePoints().filter(c -> Character.isLetterOrDigit(c) || c == '\'')
                .map(Character::toLowerCase).forEach(kept::appendCodePoint);
        return kept.toString();
    }
}
