package io.livecap.captions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sentence case and punctuation by rules, without a model (see {@link CaseAndPunctuation}):
 * <ul>
 *   <li>a full stop at the end of every final utterance and after a long pause, a comma after a medium one; what is
 *       long and medium is relative to this speaker's pauses (gaps of at least {@value #PAUSE_MS} ms between words
 *       of an utterance; the newest {@value #PAUSES_KEPT}): at least {@value #STOP_FACTOR} and
 *       {@value #COMMA_FACTOR} times their mean, and never under {@value #MIN_STOP_MS} and {@value #MIN_COMMA_MS} ms
 *       (the mean starts at {@value #FIRST_MEAN_MS} ms until {@value #PAUSES_TRUSTED} pauses are known);</li>
 *   <li>a question mark instead of the full stop for a sentence that opens like a question ("what", "how", "is",
 *       "do", "can"...);</li>
 *   <li>a capital at the start of each sentence, "I" and its contractions, and the casing a word list knows a word
 *       only in ({@link WordList}: names, acronyms);</li>
 *   <li>abbreviations left alone: a word that already carries a full stop ("Dr.", "U.S.", "etc.") gets no other,
 *       and a title ("Mr.", "Dr.") does not end a sentence.</li>
 * </ul>
 * A task's dictionary is applied after this (the session's finishing step) and gives its terms their own casing.
 */
public final class RuleRestorer implements CaseAndPunctuation {

    static final long PAUSE_MS = 100;
    static final int PAUSES_KEPT = 200;
    static final int PAUSES_TRUSTED = 10;
    static final double STOP_FACTOR = 1.8;
    static final double COMMA_FACTOR = 0.85;
    static final long MIN_STOP_MS = 600;
    static final long MIN_COMMA_MS = 250;
    static final long FIRST_MEAN_MS = 400;

    private static final Set<String> QUESTION_OPENERS = Set.of("what", "why", "how", "who", "whom", "whose", "where",
            "is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "would", "will", "should", "shall",
            "have", "has", "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "can't", "couldn't",
            "wouldn't", "won't", "shouldn't", "haven't", "hasn't");
    /** Abbreviations after which a sentence goes on. */
    private static final Set<String> TITLES = Set.of("mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "mt.", "jr.",
            "sr.", "vs.", "e.g.", "i.e.", "no.");

    private final WordList names;
    private final Deque<Long> pauses = new ArrayDeque<>();
    private long pauseSum;

    public RuleRestorer(WordList names) {
        this.names = names;
    }

    @Override
    public List<String> restore(List<CaptionWord> words, boolean fin) {
        long stopMs = Math.max(MIN_STOP_MS, Math.round(STOP_FACTOR * meanPauseMs()));
        long commaMs = Math.max(MIN_COMMA_MS, Math.round(COMMA_FACTOR * meanPauseMs()));
        List<String> out = new ArrayList<>(words.size());
        boolean sentenceStart = true;
        boolean question = false;
        for (int i = 0; i < words.size(); i++) {
            String word = cased(words.get(i).word());
            if (sentenceStart) {
                question = QUESTION_OPENERS.contains(word.toLowerCase(Locale.ROOT));
                word = capitalised(word);
            }
            sentenceStart = false;
            boolean last = i == words.size() - 1;
            long gap = last ? 0 : words.get(i + 1).startMs() - words.get(i).endMs();
            boolean abbreviation = word.endsWith(".");
            if ((last && fin) || gap >= stopMs) {
                if (!abbreviation) {
                    word += question ? "?" : ".";
                }
                sentenceStart = !TITLES.contains(word.toLowerCase(Locale.ROOT));
            } else if (!last && gap >= commaMs && !abbreviation) {
                word += ",";
            }
            out.add(word);
        }
        if (fin) {
            learnPauses(words);
        }
        return out;
    }

    /** The mean of the speaker's recent pauses, in ms. */
    long meanPauseMs() {
        return pauses.size() < PAUSES_TRUSTED ? FIRST_MEAN_MS : pauseSum / pauses.size();
    }

    private void learnPauses(List<CaptionWord> words) {
        for (int i = 0; i + 1 < words.size(); i++) {
            long gap = words.get(i + 1).startMs() - words.get(i).endMs();
            if (gap >= PAUSE_MS) {
                pauses.addLast(gap);
                pauseSum += gap;
                if (pauses.size() > PAUSES_KEPT) {
                    pauseSum -= pauses.removeFirst();
                }
            }
        }
    }

    /** "i" and its contractions, then the list's casing; a word the engine gave in capitals stays as it is. */
    private String cased(String word) {
        if (word.isEmpty() || !word.equals(word.toLowerCase(Locale.ROOT))) {
            return word;
        }
        if (word.equals("i") || word.startsWith("i'")) {
            return "I" + word.substring(1);
        }
        String base = word.endsWith("'s") ? word.substring(0, word.length() - 2) : word;
        return names.casing(base).map(c -> c + word.substring(base.length())).orElse(word);
    }

    private static String capitalised(String word) {
        if (word.isEmpty() || !Character.isLowerCase(word.charAt(0))) {
            return word;
        }
        return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
