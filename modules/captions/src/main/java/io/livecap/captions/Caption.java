package io.livecap.captions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One caption message exactly as the caption websocket carries it (see ARCHITECTURE.md, "Caption websocket").
 * A final replaces the partials of its {@code utterance}; a long utterance gives several finals, one per caption block.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"type", "stream_id", "seq", "final", "utterance", "text", "lines", "start", "end",
        "start_epoch", "start_pts", "words", "language"})
public record Caption(
        @JsonProperty("stream_id") String streamId,
        @JsonProperty("seq") long seq,
        @JsonProperty("final") boolean isFinal,
        @JsonProperty("utterance") long utterance,
        @JsonProperty("text") String text,
        @JsonProperty("lines") List<String> lines,
        @JsonProperty("start") long startMs,
        @JsonProperty("end") long endMs,
        @JsonProperty("start_epoch") long startEpoch,
        @JsonProperty("start_pts") long startPts,
        @JsonProperty("words") List<CaptionWord> words,
        @JsonProperty("language") String language) {

    public Caption {
        lines = List.copyOf(lines);
        words = List.copyOf(words);
    }

    @JsonProperty("type")
    public String type() {
        return "caption";
    }
}
