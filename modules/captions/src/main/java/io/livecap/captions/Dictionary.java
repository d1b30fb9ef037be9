package io.livecap.captions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A REACH task's {@code dictionary}: words and phrases, one per line, whose spelling and casing captions must use.
 * A term replaces every case-insensitive whole-word match of itself: "kaltura reach" becomes "Kaltura REACH" and
 * "ieee," becomes "IEEE,", but "ieeex" stays. A phrase matches across any whitespace, line breaks included, so a
 * phrase split over two caption lines is fixed in place and the lines keep their break. Longer phrases win over the
 * terms inside them. Only letters and digits join words: punctuation, hyphens and apostrophes are boundaries, so
 * "kaltura's" becomes "Kaltura's".
 *
 * <p>A match differs from its replacement only in case, so corrections never change a text's length, a caption's
 * line lengths or a word's times. The same terms go to the engines as vocabulary hints ({@link #terms()}).
 */
public final class Dictionary {

    /** REACH's limit on a task's dictionary. Longer ones are used whole rather than cut mid-term. */
    public static final int MAX_CHARS = 8000;

    public static final Dictionary EMPTY = new Dictionary(List.of());

    private static final Logger log = LoggerFactory.getLogger(Dictionary.class);

    /** A term's words; {@code rank} orders the terms most words first, then longest first. */
    private record Term(String[] words, int rank) {
    }

    private record Match(Term term, int from, int to, int[] starts) {
    }

    private final List<String> terms;
    /**
     * The terms by the letters and digits their first word starts with, case folded ("c" for "C++", "" for ".NET"):
     * a match starts with the same run, so each word of a caption is looked up once, not tried against every term.
     */
    private final Map<String, List<Term>> byLeadingRun = new HashMap<>();

    private Dictionary(List<String> terms) {
        this.terms = List.copyOf(terms);
        List<String[]> ordered = terms.stream()
                .map(term -> term.split(" "))
                .sorted(Comparator.<String[]>comparingInt(words -> -words.length)
                        .thenComparingInt(words -> -String.join(" ", words).length()))
                .toList();
        for (int rank = 0; rank < ordered.size(); rank++) {
            String[] words = ordered.get(rank);
            byLeadingRun.computeIfAbsent(leadingRun(words[0], 0), run -> new ArrayList<>()).add(new Term(words, rank));
        }
    }

    /** Parses a task's dictionary: null or blank gives {@link #EMPTY}; blank lines and repeated terms are skipped. */
    public static Dictionary parse(String dictionary) {
        if (dictionary == null || dictionary.isBlank()) {
            return EMPTY;
        }
        if (dictionary.length() > MAX_CHARS) {
            log.warn("dictionary of {} characters is over REACH's {}; using all of it", dictionary.length(), MAX_CHARS);
        }
        List<String> terms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : dictionary.split("\\R")) {
            String term = String.join(" ", line.strip().split("\\s+"));
            if (!term.isEmpty() && seen.add(term.toLowerCase(Locale.ROOT))) {
                terms.add(term);
            }
        }
        return new Dictionary(terms);
    }

    /** The terms in the dictionary's order, whitespace normalised: vocabulary hints for {@code StreamOptions}. */
    public List<String> terms() {
        return terms;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** The caption with its text, lines and words corrected; its times and everything else unchanged. */
    public Caption correct(Caption caption) {
        if (isEmpty()) {
            return caption;
        }
        List<String> wordTexts = correctEach(caption.words().stream().map(CaptionWord::word).toList(), " ");
        List<CaptionWord> words = new ArrayList<>();
        for (int i = 0; i < wordTexts.size(); i++) {
            CaptionWord w = caption.words().get(i);
            words.add(w.withText(wordTexts.get(i)));
        }
        return new Caption(caption.streamId(), caption.seq(), caption.isFinal(), caption.utterance(),
                correct(caption.text()), correctEach(caption.lines(), "\n"), caption.startMs(), caption.endMs(),
                caption.startEpoch(), caption.startPts(), words, caption.language(), caption.session());
    }

    /** The text with every term's matches in the term's form; same length as the text. */
    public String correct(String text) {
        if (text == null || text.isEmpty() || isEmpty()) {
            return text;
        }
        List<Match> matches = new ArrayList<>();
        for (int at = 0; at < text.length(); at++) {
            if (!startsWord(text, at)) {
                continue;
            }
            for (Term term : byLeadingRun.getOrDefault(leadingRun(text, at), List.of())) {
                int[] starts = new int[term.words().length];
                int end = match(text, at, term.words(), starts);
                if (end >= 0) {
                    matches.add(new Match(term, at, end, starts));
                }
            }
        }
        // the order in which terms claim text: longest first, then left to right
        matches.sort(Comparator.comparingInt((Match m) -> m.term().rank()).thenComparingInt(Match::from));
        char[] out = text.toCharArray();
        boolean[] claimed = new boolean[text.length()];
        for (Match m : matches) {
            if (anyClaimed(claimed, m.from(), m.to())) {
                continue;
            }
            String[] words = m.term().words();
            for (int k = 0; k < words.length; k++) {
                words[k].getChars(0, words[k].length(), out, m.starts()[k]);
            }
            for (int i = m.from(); i < m.to(); i++) {
                claimed[i] = true;
            }
        }
        return new String(out);
    }

    /** Corrects parts as one text joined by {@code separator}, so a phrase may span two parts, then splits it back. */
    private List<String> correctEach(List<String> parts, String separator) {
        String fixed = correct(String.join(separator, parts));
        List<String> out = new ArrayList<>(parts.size());
        int at = 0;
        for (String part : parts) {
            out.add(fixed.substring(at, at + part.length()));
            at += part.length() + separator.length();
        }
        return out;
    }

    /**
     * Where the term's match starting at {@code from} ends (its words separated by whitespace, the last one followed by
     * a word boundary), with each word's position in {@code starts}; -1 when it does not match there.
     */
    private static int match(String text, int from, String[] term, int[] starts) {
        int at = from;
        for (int k = 0; k < term.length; k++) {
            if (k > 0) {
                int spaceStart = at;
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
                if (at == spaceStart) {
                    return -1;
                }
            }
            if (!text.regionMatches(true, at, term[k], 0, term[k].length())) {
                return -1;
            }
            starts[k] = at;
            at += term[k].length();
        }
        return at == text.length() || !Character.isLetterOrDigit(text.codePointAt(at)) ? at : -1;
    }

    /** The letters and digits from {@code from} on, case folded as {@code regionMatches(true, ...)} folds it. */
    private static String leadingRun(String text, int from) {
        StringBuilder run = new StringBuilder();
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                break;
            }
            run.append(Character.toLowerCase(Character.toUpperCase(c)));
        }
        return run.toString();
    }

    private static boolean startsWord(String text, int at) {
        return at == 0 || !Character.isLetterOrDigit(text.codePointBefore(at));
    }

    private static boolean anyClaimed(boolean[] claimed, int from, int to) {
        for (int i = from; i < to; i++) {
            if (claimed[i]) {
                return true;
            }
        }
        return false;
    }
}
