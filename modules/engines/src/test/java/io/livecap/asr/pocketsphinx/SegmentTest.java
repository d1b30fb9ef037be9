package io.livecap.asr.pocketsphinx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentTest {

    @Test
    void alternatePronunciationsAreReportedAsTheirWord() {
        assertEquals("to", segment("to(2)").baseWord());
        assertEquals("government", segment("government(12)").baseWord());
        assertEquals("budget", segment("budget").baseWord());
    }

    @Test
    void sentenceMarksSilenceAndNoiseAreFillers() {
        for (String filler : new String[] {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "++NOISE++"}) {
            assertTrue(segment(filler).isFiller(), filler);
        }
        assertFalse(segment("tuesday").isFiller());
        assertFalse(segment("o'clock").isFiller());
    }

    private static Segment segment(String word) {
        return new Segment(word, 0, 1, 1);
    }
}
