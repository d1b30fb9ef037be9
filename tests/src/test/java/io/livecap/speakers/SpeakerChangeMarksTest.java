package io.livecap.speakers;

import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import io.livecap.captions.Json;
import io.livecap.captions.SpeakerChangeMarks;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a known change puts the mark: the caption's start, before the word nearest it, or nowhere. */
class SpeakerChangeMarksTest {

    @Test
    void aChangeAtACaptionsStartMarksItsStartAndOnlyOnce() {
        SpeakerChangeMarks marks = new SpeakerChangeMarks();
        marks.changeAt(9_800);
        Caption first = marks.apply(caption(true, 10_000, "good", "morning", "all"));
        assertTrue(first.speakerChange());
        assertEquals(">> good morning all", first.text());
        assertEquals(List.of(">> good morning", "all"), first.lines());
        Caption next = marks.apply(caption(true, 12_000, "and", "then", "some"));
        assertFalse(next.speakerChange());
        assertTrue(Json.write(first).contains("\"speaker_change\":true"), Json.write(first));
        assertFalse(Json.write(next).contains("speaker_change"), "unmarked captions carry no field: " + Json.write(next));
    }

    @Test
    void aChangeInsideAFinalMarksTheWordNearestIt() {
        SpeakerChangeMarks marks = new SpeakerChangeMarks();
        marks.changeAt(12_100);
        Caption partial = marks.apply(caption(false, 10_000, "good", "morning", "all"));
        assertFalse(partial.speakerChange(), "a partial before the change");
        Caption fin = marks.apply(caption(true, 10_000, "good", "morning", "all"));
        assertTrue(fin.speakerChange());
        assertEquals("good morning >> all", fin.text());
        assertEquals(List.of("good morning", ">> all"), fin.lines());
    }

    @Test
    void noChangeNoMark() {
        SpeakerChangeMarks marks = new SpeakerChangeMarks();
        marks.changeAt(30_000);
        Caption c = marks.apply(caption(true, 10_000, "good", "morning", "all"));
        assertFalse(c.speakerChange());
        assertEquals("good morning all", c.text());
    }

    /** Words a second apart from {@code startMs}; the last on a second line. */
    private static Caption caption(boolean isFinal, long startMs, String... words) {
        List<CaptionWord> ws = new java.util.ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            ws.add(new CaptionWord(words[i], startMs + i * 1_000L, startMs + i * 1_000L + 800, 1.0, true));
        }
        List<String> lines = List.of(String.join(" ", List.of(words).subList(0, words.length - 1)),
                words[words.length - 1]);
        return new Caption("s", 1, isFinal, 1, String.join(" ", words), lines, startMs,
                startMs + words.length * 1_000L, 0, 0, ws, "en-US");
    }
}
