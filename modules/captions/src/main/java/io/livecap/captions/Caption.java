package io.livecap.captions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One caption message exactly as the caption websocket carries it (see docs/ARCHITECTURE.md, "Caption websocket").
 * A final replaces the partials of its {@code utterance}; a long utterance gives several finals, one per caption block.
 * {@code session} names the stream id's timeline: {@code start} and {@code utterance} count within it, {@code seq}
 * across all of them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"type", "stream_id", "session", "seq", "final", "utterance", "text", "lines", "start", "end",
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
        @JsonProperty("language") String language,
        @JsonProperty("session") long session) {

    @JsonCreator
    public Caption {
        lines = List.copyOf(lines);
        words = List.copyOf(words);
        // finals stored before timelines had sessions carry none: they belong to a stream id's first
        session = Math.max(1, session);
    }

    /** A caption of a stream id's first timeline. */
    public Caption(String streamId, long seq, boolean isFinal, long utterance, String text, List<String> lines,
                   long startMs, long endMs, long startEpoch, long startPts, List<CaptionWord> words,
                   String language) {
        this(streamId, seq, isFinal, utterance, text, lines, startMs, endMs, startEpoch, startPts, words, language,
                1);
    }

    @JsonProperty("type")
    public String type() {
        return "caption";
    }
}
