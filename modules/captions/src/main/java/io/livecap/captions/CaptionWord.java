package io.livecap.captions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A word of a caption, times in ms of stream audio (the contract's {@code start}). {@code stable}: no later partial
 * of its utterance will change it (every word of a final is stable; see {@link Stability}).
 */
public record CaptionWord(
        @JsonProperty("word") String word,
        @JsonProperty("start") long startMs,
        @JsonProperty("end") long endMs,
        @JsonProperty("conf") double confidence,
        @JsonProperty("stable") boolean stable) {

    /** A stable word (a final's). */
    public CaptionWord(String word, long startMs, long endMs, double confidence) {
        this(word, startMs, endMs, confidence, true);
    }

    /** Finals stored before words carried {@code stable} read as stable, as every final word is. */
    @JsonCreator
    static CaptionWord read(@JsonProperty("word") String word, @JsonProperty("start") long startMs,
                            @JsonProperty("end") long endMs, @JsonProperty("conf") double confidence,
                            @JsonProperty("stable") Boolean stable) {
        return new CaptionWord(word, startMs, endMs, confidence, stable == null || stable);
    }

    public CaptionWord withText(String text) {
        return new CaptionWord(text, startMs, endMs, confidence, stable);
    }
}
