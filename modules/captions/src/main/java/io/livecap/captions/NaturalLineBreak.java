package io.livecap.captions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lines for the words of one cue, broken where a reader expects it: as few lines as a greedy fill needs, each within
 * the line width, balanced in length, and among the balanced choices the break after punctuation, before a
 * conjunction or preposition, and not between an article (or possessive) and its noun unless nothing else fits.
 * A dynamic programme over break points: balance costs the squared distance of each line from the mean, a natural
 * break earns a bonus, an unnatural one a penalty, both in the same units (characters squared).
 */
final class NaturalLineBreak {

    private static final Set<String> CONJUNCTIONS = Set.of("and", "but", "or", "nor", "so", "yet", "because",
            "although", "though", "while", "whereas", "when", "where", "if", "unless", "that", "which", "who",
            "whom", "whose", "than", "as", "until", "since", "before", "after");
    private static final Set<String> PREPOSITIONS = Set.of("of", "in", "on", "at", "to", "for", "with", "from",
            "by", "about", "into", "onto", "over", "under", "through", "between", "among", "against", "during",
            "without", "within", "across", "behind", "beyond", "toward", "towards", "upon", "like");
    private static final Set<String> DETERMINERS = Set.of("a", "an", "the", "this", "these", "those", "my", "your",
            "his", "her", "its", "our", "their", "some", "any", "every", "each", "no");

    private static final double SENTENCE_END_BONUS = 400;
    private static final double CLAUSE_BONUS = 200;
    private static final double CONJUNCTION_BONUS = 100;
    private static final double PREPOSITION_BONUS = 60;
    private static final double AFTER_DETERMINER_PENALTY = 2000;
    private static final double AFTER_PREPOSITION_PENALTY = 150;

    private final int maxChars;
    private final int maxLines;

    NaturalLineBreak(int maxChars, int maxLines) {
        this.maxChars = maxChars;
        this.maxLines = maxLines;
    }

    /** True when the words fit in this many lines at this width (no word may be wider than a line). */
    boolean fits(List<String> words) {
        return greedyLines(words) <= maxLines;
    }

    /** The greedy fill's line count: the fewest lines the words can take. A word wider than a line counts as many. */
    int greedyLines(List<String> words) {
        int lines = 0;
        int length = 0;
        for (String word : words) {
            int w = word.length();
            if (w > maxChars) {
                return Integer.MAX_VALUE;
            }
            if (lines == 0 || length + 1 + w > maxChars) {
                lines++;
                length = w;
            } else {
                length += 1 + w;
            }
        }
        return lines;
    }

    /** The lines of words that {@link #fits} (otherwise the greedy fill, over the limits). */
    List<String> lines(List<String> words) {
        int n = words.size();
        if (n == 0) {
            return List.of();
        }
        int k = greedyLines(words);
        if (k <= 1 || k == Integer.MAX_VALUE) {
            return List.of(String.join(" ", words));
        }
        int total = -1;
        for (String w : words) {
            total += w.length() + 1;
        }
        double target = (double) (total - (k - 1)) / k;
        // cost[j][i]: best cost of the first i words in j lines; from[j][i]: where line j starts
        double[][] cost = new double[k + 1][n + 1];
        int[][] from = new int[k + 1][n + 1];
        for (double[] row : cost) {
            java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        cost[0][0] = 0;
        for (int j = 1; j <= k; j++) {
            for (int i = j; i <= n; i++) {
                int length = -1;
                for (int a = i - 1; a >= j - 1; a--) {
                    length += words.get(a).length() + 1;
                    if (length > maxChars) {
                        break;
                    }
                    if (cost[j - 1][a] == Double.POSITIVE_INFINITY) {
                        continue;
                    }
                    double c = cost[j - 1][a] + (length - target) * (length - target)
                            + (i < n ? breakCost(words.get(i - 1), words.get(i)) : 0);
                    if (c < cost[j][i]) {
                        cost[j][i] = c;
                        from[j][i] = a;
                    }
                }
            }
        }
        if (cost[k][n] == Double.POSITIVE_INFINITY) {
            return List.of(String.join(" ", words));
        }
        List<String> lines = new ArrayList<>();
        int end = n;
        for (int j = k; j >= 1; j--) {
            int start = from[j][end];
            lines.add(0, String.join(" ", words.subList(start, end)));
            end = start;
        }
        return lines;
    }

    /** The cost of a line break between {@code before} and {@code after}: negative where a reader expects one. */
    static double breakCost(String before, String after) {
        char last = before.charAt(before.length() - 1);
        if (last == '.' || last == '?' || last == '!') {
            return -SENTENCE_END_BONUS;
        }
        if (last == ',' || last == ';' || last == ':') {
            return -CLAUSE_BONUS;
        }
        String b = bare(before);
        String a = bare(after);
        if (DETERMINERS.contains(b)) {
            return AFTER_DETERMINER_PENALTY;
        }
        if (PREPOSITIONS.contains(b)) {
            return AFTER_PREPOSITION_PENALTY;
        }
        if (CONJUNCTIONS.contains(a)) {
            return -CONJUNCTION_BONUS;
        }
        if (PREPOSITIONS.contains(a)) {
            return -PREPOSITION_BONUS;
        }
        return 0;
    }

    /** True when a cue may well end after this word: it ends a sentence or a clause. */
    static boolean endsClause(String word) {
        char last = word.charAt(word.length() - 1);
        return last == '.' || last == '?' || last == '!' || last == ',' || last == ';' || last == ':';
    }

    static boolean endsSentence(String word) {
        char last = word.charAt(word.length() - 1);
        return last == '.' || last == '?' || last == '!';
    }

    private static String bare(String word) {
        return word.replaceAll("[^\\p{L}\\p{N}']", "").toLowerCase(Locale.ROOT);
    }

    int maxLines() {
        return maxLines;
    }
}
