package io.livecap.captions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
        "start_epoch", "start_pts", "words", "language", "speaker_change"})
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
        @JsonProperty("session") long session,
        // only a caption after a change carries it (captions.speaker_changes, a REACH item's enableSpeakerId)
        @JsonProperty("speaker_change") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean speakerChange) {

    @JsonCreator
    public Caption {
        lines = List.copyOf(lines);
        words = List.copyOf(words);
        // finals stored before timelines had sessions carry none: they belong to a stream id's first
        session = Math.max(1, session);
    }

    /** A caption with no speaker change mark. */
    public Caption(String streamId, long seq, boolean isFinal, long utterance, String text, List<String> lines,
                   long startMs, long endMs, long startEpoch, long startPts, List<CaptionWord> words,
                   String language, long session) {
        this(streamId, seq, isFinal, utterance, text, lines, startMs, endMs, startEpoch, startPts, words, language,
                session, false);
    }

    /** A caption of a stream id's first timeline. */
    public Caption(String streamId, long seq, boolean isFinal, long utterance, String text, List<String> lines,
                   long startMs, long endMs, long startEpoch, long startPts, List<CaptionWord> words,
                   String language) {
        this(streamId, seq, isFinal, utterance, text, lines, startMs, endMs, startEpoch, startPts, words, language,
                1);
    }

    /** This caption marked as the first after a speaker change: {@code >> } before its text and first line. */
    public Caption withSpeakerChange() {
        return withSpeakerChangeAt(0);
    }

    /**
     * This caption marked with the new speaker starting at its {@code word}-th word: {@code >> } before that word in
     * the text and lines (as roll-up captions mark a change mid-line). Where text or lines do not split into the
     * words one for one, the mark goes at the start.
     */
    public Caption withSpeakerChangeAt(int word) {
        if (speakerChange) {
            return this;
        }
        String[] tokens = text.split(" ", -1);
        int at = tokens.length == words.size() && word < tokens.length ? word : 0;
        List<String> marked = new java.util.ArrayList<>(lines);
        int before = 0;
        for (int i = 0; i < marked.size(); i++) {
            String[] inLine = marked.get(i).split(" ", -1);
            if (at < before + inLine.length) {
                inLine[at - before] = SPEAKER_MARK + inLine[at - before];
                marked.set(i, String.join(" ", inLine));
                break;
            }
            before += inLine.length;
        }
        tokens[at] = SPEAKER_MARK + tokens[at];
        return new Caption(streamId, seq, isFinal, utterance, String.join(" ", tokens), marked, startMs, endMs,
                startEpoch, startPts, words, language, session, true);
    }

    /** What starts the text of a caption after a speaker change (the broadcast convention). */
    public static final String SPEAKER_MARK = ">> ";

    @JsonProperty("type")
    public String type() {
        return "caption";
    }
}
