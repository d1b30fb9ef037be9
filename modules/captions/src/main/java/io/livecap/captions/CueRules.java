package io.livecap.captions;

/**
 * What a viewer can read, as the cues of a delivered asset must respect it: at most {@code maxLines} lines of at most
 * {@code maxCharsPerLine} characters, at most {@code maxCps} characters per second on screen (characters of the cue's
 * lines joined by a space: spaces and punctuation count, line breaks do not), on screen at least {@code minMs} and at
 * most {@code maxMs}. Defaults are the broadcast (and Netflix/BBC style guide) figures: 42 x 2, 17 cps, 1 s to 7 s.
 *
 * <p>A full cue must be readable within the longest a cue may last, or no asset could meet the rules: the constructor
 * refuses limits where {@code maxCharsPerLine x maxLines} characters at {@code maxCps} need more than {@code maxMs}.
 */
public record CueRules(int maxCharsPerLine, int maxLines, double maxCps, long minMs, long maxMs) {

    public static final CueRules DEFAULTS = new CueRules(42, 2, 17, 1000, 7000);

    public CueRules {
        if (maxCharsPerLine < 8 || maxLines < 1 || maxCps <= 0) {
            throw new IllegalArgumentException("cue limits: need at least 8 characters per line, 1 line and a"
                    + " positive characters-per-second, got " + maxCharsPerLine + " x " + maxLines + " at " + maxCps);
        }
        if (minMs < Cue.MIN_DURATION_MS || maxMs < minMs) {
            throw new IllegalArgumentException("cue durations: need " + Cue.MIN_DURATION_MS + " ms <= minimum <= maximum,"
                    + " got " + minMs + " ms .. " + maxMs + " ms");
        }
        if (readingMs(maxCharsPerLine * maxLines + maxLines - 1, maxCps) > maxMs) {
            throw new IllegalArgumentException("cue limits: a full cue of " + maxLines + " x " + maxCharsPerLine
                    + " characters at " + maxCps + " cps needs more than the " + maxMs + " ms a cue may last");
        }
    }

    /** The most characters one cue holds: its lines and the spaces that would join them. */
    public int maxChars() {
        return maxCharsPerLine * maxLines + maxLines - 1;
    }

    /** How long a cue of {@code chars} characters must stay on screen: its reading time, and at least the minimum. */
    public long requiredMs(int chars) {
        return Math.max(minMs, readingMs(chars, maxCps));
    }

    /** True when {@code chars} characters shown for {@code durationMs} stay within the reading rate. */
    public boolean readable(int chars, long durationMs) {
        return chars * 1000.0 <= maxCps * durationMs + 1e-6;
    }

    private static long readingMs(int chars, double cps) {
        return (long) Math.ceil(chars * 1000.0 / cps);
    }
}
