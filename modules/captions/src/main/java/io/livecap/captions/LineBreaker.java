package io.livecap.captions;

import java.util.ArrayList;
import java.util.List;

/**
 * Breaks caption text at word boundaries into blocks of at most {@code maxLines} lines of at most {@code maxChars}
 * characters (42 x 2 by default; 32 for CEA-608 style). Lines within a block are balanced, as broadcast captions are:
 * the narrowest width that needs no more lines than a greedy fill is used. A single word longer than a line gets a
 * line of its own rather than being cut.
 */
public final class LineBreaker {

    public static final int DEFAULT_MAX_CHARS = 42;
    public static final int DEFAULT_MAX_LINES = 2;

    private final int maxChars;
    private final int maxLines;

    public LineBreaker(int maxChars, int maxLines) {
        if (maxChars < 1 || maxLines < 1) {
            throw new IllegalArgumentException("line size must be positive: " + maxChars + " x " + maxLines);
        }
        this.maxChars = maxChars;
        this.maxLines = maxLines;
    }

    public static LineBreaker defaults() {
        return new LineBreaker(DEFAULT_MAX_CHARS, DEFAULT_MAX_LINES);
    }

    public int maxChars() {
        return maxChars;
    }

    public int maxLines() {
        return maxLines;
    }

    /** Splits words into blocks: each block is the list of word counts per line; words are consumed in order. */
    public List<List<Integer>> blocks(List<String> words) {
        List<Integer> lines = fill(words, 0, words.size(), maxChars);
        List<List<Integer>> blocks = new ArrayList<>();
        int word = 0;
        for (int i = 0; i < lines.size(); i += maxLines) {
            int count = 0;
            for (int j = i; j < Math.min(lines.size(), i + maxLines); j++) {
                count += lines.get(j);
            }
            blocks.add(balance(words, word, word + count, Math.min(maxLines, lines.size() - i)));
            word += count;
        }
        return blocks;
    }

    /** The lines of text of one piece of text, all blocks together. */
    public List<String> lines(List<String> words) {
        List<String> lines = new ArrayList<>();
        int word = 0;
        for (List<Integer> block : blocks(words)) {
            for (int count : block) {
                lines.add(String.join(" ", words.subList(word, word + count)));
                word += count;
            }
        }
        return lines;
    }

    /** The narrowest greedy fill of words[from, to) that still fits in {@code lineCount} lines. */
    private List<Integer> balance(List<String> words, int from, int to, int lineCount) {
        int low = 1;
        int high = maxChars;
        List<Integer> best = fill(words, from, to, maxChars);
        while (low < high) {
            int width = (low + high) / 2;
            List<Integer> attempt = fill(words, from, to, width);
            if (attempt.size() <= lineCount && fits(words, from, attempt, width)) {
                best = attempt;
                high = width;
            } else {
                low = width + 1;
            }
        }
        return best;
    }

    private static boolean fits(List<String> words, int from, List<Integer> lines, int width) {
        int word = from;
        for (int count : lines) {
            int length = -1;
            for (int i = 0; i < count; i++) {
                length += words.get(word++).length() + 1;
            }
            if (length > width) {
                return false; // an over-long word: only the full width may hold it
            }
        }
        return true;
    }

    /** Greedy fill: word counts per line for words[from, to) at {@code width} characters. */
    private static List<Integer> fill(List<String> words, int from, int to, int width) {
        List<Integer> lines = new ArrayList<>();
        int count = 0;
        int length = 0;
        for (int i = from; i < to; i++) {
            int w = words.get(i).length();
            if (count > 0 && length + 1 + w > width) {
                lines.add(count);
                count = 0;
                length = 0;
            }
            length += (count > 0 ? 1 : 0) + w;
            count++;
        }
        if (count > 0) {
            lines.add(count);
        }
        return lines;
    }
}
