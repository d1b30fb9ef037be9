package io.livecap.captions;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A word of a caption, times in ms of stream audio (the contract's {@code start}). */
public record CaptionWord(
        @JsonProperty("word") String word,
        @JsonProperty("start") long startMs,
        @JsonProperty("end") long endMs,
        @JsonProperty("conf") double confidence) {
}
