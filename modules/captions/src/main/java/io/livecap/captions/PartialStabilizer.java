package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Steadies one stream's partials (see {@link Stability}): keeps the committed words of the current utterance and the
 * last few hypotheses, and says what a partial shows and which of its words are stable. One per stream, on the
 * session's thread.
 *
 * <p>Words are matched by time, not position: a hypothesis's words after the committed ones are those whose middle
 * lies after the last committed word's end, so an engine that re-segments committed audio cannot shift or repeat
 * them. The final may still differ from what was committed; {@link #corrected()} counts the committed words it did
 * not keep.
 */
public final class PartialStabilizer {

    /** A word of a partial as shown, and whether it is committed. */
    public record Shown(RecognizedWord word, boolean stable) {
    }

    private final Stability level;
    private final int agreement;
    private final long maxAgeMs;
    private final int unstableShown;
    private final long settleMs;
    private final List<RecognizedWord> committed = new ArrayList<>();
    private final Deque<List<RecognizedWord>> recent = new ArrayDeque<>();
    private long committedWords;
    private long corrected;

    public PartialStabilizer(Stability level) {
        this(level, level.agreement(), level.maxAgeMs(), level.unstableShown(), level.settleMs());
    }

    /** Other parameters than a level's (to measure them). */
    PartialStabilizer(Stability level, int agreement, long maxAgeMs, int unstableShown, long settleMs) {
        this.settleMs = settleMs;
        this.level = level;
        this.agreement = agreement;
        this.maxAgeMs = maxAgeMs;
        this.unstableShown = unstableShown;
    }

    public Stability level() {
        return level;
    }

    /** What to show for this partial of the current utterance. */
    public List<Shown> partial(Hypothesis partial) {
        if (level == Stability.OFF) {
            return partial.words().stream().map(w -> new Shown(w, false)).toList();
        }
        recent.addLast(partial.words());
        while (recent.size() > agreement) {
            recent.removeFirst();
        }
        List<RecognizedWord> tail = after(partial.words());
        int agreed = recent.size() < agreement ? 0 : agreedPrefix(tail);
        // the word still being spoken is the least certain: only words the engine has heard past can commit
        while (agreed > 0 && partial.endMs() - tail.get(agreed - 1).endMs() < settleMs) {
            agreed--;
        }
        int old = 0;
        for (int i = 0; i < tail.size(); i++) {
            if (partial.endMs() - tail.get(i).endMs() >= maxAgeMs) {
                old = i + 1; // everything before an old word is older still
            }
        }
        int commit = Math.max(agreed, old);
        committed.addAll(tail.subList(0, commit));
        committedWords += commit;
        List<Shown> shown = new ArrayList<>();
        committed.forEach(w -> shown.add(new Shown(w, true)));
        List<RecognizedWord> unstable = tail.subList(commit, tail.size());
        unstable.subList(0, Math.min(unstable.size(), unstableShown))
                .forEach(w -> shown.add(new Shown(w, false)));
        return shown;
    }

    /** The utterance's final: counts the committed words it changed, and starts the next utterance afresh. */
    public void fin(Hypothesis fin) {
        for (RecognizedWord word : committed) {
            if (!kept(word, fin.words())) {
                corrected++;
            }
        }
        committed.clear();
        recent.clear();
    }

    /** Words committed so far, over all utterances. */
    public long committedWords() {
        return committedWords;
    }

    /** Committed words that a final then changed or dropped. */
    public long corrected() {
        return corrected;
    }

    private static boolean kept(RecognizedWord word, List<RecognizedWord> fin) {
        long middle = (word.startMs() + word.endMs()) / 2;
        for (RecognizedWord w : fin) {
            if (w.word().equals(word.word()) && w.startMs() <= middle + 100 && w.endMs() >= middle - 100) {
                return true;
            }
        }
        return false;
    }

    /** The words of a hypothesis that come after the committed ones. */
    private List<RecognizedWord> after(List<RecognizedWord> words) {
        if (committed.isEmpty()) {
            return words;
        }
        long end = committed.get(committed.size() - 1).endMs();
        int first = 0;
        while (first < words.size() && (words.get(first).startMs() + words.get(first).endMs()) / 2 <= end) {
            first++;
        }
        return words.subList(first, words.size());
    }

    /** How many words at the start of {@code tail} every recent hypothesis has, in the same order. */
    private int agreedPrefix(List<RecognizedWord> tail) {
        int agreed = tail.size();
        for (List<RecognizedWord> earlier : recent) {
            List<RecognizedWord> other = after(earlier);
            int same = 0;
            while (same < Math.min(agreed, other.size()) && other.get(same).word().equals(tail.get(same).word())) {
                same++;
            }
            agreed = same;
        }
        return agreed;
    }
}
