package io.livecap.captions;

import java.util.Locale;

/**
 * How steady partial captions are, as the cloud services offer it (AWS partial-results stabilization, Google's
 * {@code stability}). A word is committed ({@code "stable": true}) once {@link #agreement} successive hypotheses of
 * its utterance agree on it (LocalAgreement, as whisper_streaming does) or once it ended {@link #maxAgeMs} of audio
 * ago, and only once the engine has heard {@link #settleMs} past it (the word still being spoken is the least sure);
 * a committed word is never rewritten by a later partial. A level also says how many of the words not committed yet
 * a partial shows ({@link #unstableShown}): they are what flickers. Measured on the shared lecture in bench/README.md
 * ("Steady partials").
 */
public enum Stability {

    /** Partials as the engine gives them; no word is committed before the final. */
    OFF(0, Long.MAX_VALUE, Integer.MAX_VALUE, 0),
    /** Commits as medium does, but also shows the words not committed yet (flagged unstable): they may change. */
    LOW(2, 1_000, Integer.MAX_VALUE, 150),
    /** Commits on two agreeing hypotheses, or after 1 s; shows only committed words. */
    MEDIUM(2, 1_000, 0, 150),
    /** Commits on three agreeing hypotheses, or after 1.5 s; shows only committed words. */
    HIGH(3, 1_500, 0, 150);

    private final int agreement;
    private final long maxAgeMs;
    private final int unstableShown;
    private final long settleMs;

    Stability(int agreement, long maxAgeMs, int unstableShown, long settleMs) {
        this.settleMs = settleMs;
        this.agreement = agreement;
        this.maxAgeMs = maxAgeMs;
        this.unstableShown = unstableShown;
    }

    /** Successive hypotheses that must agree on a word to commit it (0: never). */
    public int agreement() {
        return agreement;
    }

    /** A word that ended this long before the audio heard so far is committed whatever the hypotheses say. */
    public long maxAgeMs() {
        return maxAgeMs;
    }

    /** At most this many words after the committed ones are shown in a partial. */
    public int unstableShown() {
        return unstableShown;
    }

    /** A word commits only once the engine has heard this much audio after it (the word being spoken is the least sure). */
    public long settleMs() {
        return settleMs;
    }

    /** {@code off}, {@code low}, {@code medium} or {@code high}, as the configuration spells it. */
    public static Stability parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("captions.stability must be off, low, medium or high, not " + value);
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
