package io.livecap.captions;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.livecap.captions.Finals.fin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DictionaryTest {

    private final Dictionary dictionary = Dictionary.parse("Kaltura REACH\nIEEE\nKaltura\n");

    @Test
    void dictionaryFixesCasingOfWordsAndPhrases() {
        assertEquals("welcome to Kaltura REACH and the IEEE",
                dictionary.correct("welcome to kaltura reach and the ieee"));
        assertEquals("KALTURA's KALTURA", Dictionary.parse("KALTURA").correct("kaltura's Kaltura"));
    }

    @Test
    void punctuationNextToATermStaysAndSeparatesIt() {
        assertEquals("(IEEE), Kaltura. \"Kaltura REACH\"!", dictionary.correct("(ieee), kaltura. \"kaltura reach\"!"));
        assertEquals("IEEE-compliant", dictionary.correct("ieee-compliant"));
        assertEquals("Kaltura, reach", dictionary.correct("kaltura, reach"), "a phrase spans whitespace only");
    }

    @Test
    void noPartialWordMatches() {
        assertEquals("ieeex xieee kalturas 2ieee", dictionary.correct("ieeex xieee kalturas 2ieee"));
    }

    @Test
    void theLongestPhraseClaimsTextFirst() {
        Dictionary overlapping = Dictionary.parse("Kaltura REACH\nREACH v2 Live\nnew York\nNew York Times");
        assertEquals("kaltura REACH v2 Live", overlapping.correct("kaltura reach v2 live"));
        assertEquals("the New York Times, in new York", overlapping.correct("the new york times, in new york"));
    }

    @Test
    void dictionaryFixesCasingOfPhrasesAcrossLines() {
        Caption fin = fin(7, 1000, 4000, "welcome to kaltura", "reach, from the ieee");
        Caption fixed = dictionary.correct(fin);
        assertEquals(List.of("welcome to Kaltura", "REACH, from the IEEE"), fixed.lines());
        assertEquals("welcome to Kaltura REACH, from the IEEE", fixed.text());
        assertEquals(List.of("welcome", "to", "Kaltura", "REACH,", "from", "the", "IEEE"),
                fixed.words().stream().map(CaptionWord::word).toList());
    }

    @Test
    void correctionChangesNoTimeNorAnythingButTheText() {
        Caption fin = fin(7, 1000, 4000, "welcome to kaltura", "reach, from the ieee");
        Caption fixed = dictionary.correct(fin);
        assertEquals(fin.words().stream().map(w -> w.startMs() + "-" + w.endMs() + "@" + w.confidence()).toList(),
                fixed.words().stream().map(w -> w.startMs() + "-" + w.endMs() + "@" + w.confidence()).toList());
        assertEquals(List.of(fin.streamId(), fin.seq(), fin.isFinal(), fin.utterance(), fin.startMs(), fin.endMs(),
                        fin.startEpoch(), fin.startPts(), fin.language()),
                List.of(fixed.streamId(), fixed.seq(), fixed.isFinal(), fixed.utterance(), fixed.startMs(),
                        fixed.endMs(), fixed.startEpoch(), fixed.startPts(), fixed.language()));
    }

    @Test
    void termsAreTheDictionarysLinesForEngineVocabulary() {
        Dictionary parsed = Dictionary.parse("  Kaltura   REACH \r\n\n IEEE\nieee\r\nC++\n");
        assertEquals(List.of("Kaltura REACH", "IEEE", "C++"), parsed.terms());
        assertEquals("I write C++, not c+", parsed.correct("I write c++, not c+"));
    }

    @Test
    void anEmptyDictionaryLeavesCaptionsAlone() {
        Caption fin = fin(1, 0, 1000, "kaltura");
        assertSame(fin, Dictionary.parse(null).correct(fin));
        assertSame(fin, Dictionary.parse(" \n ").correct(fin));
        assertTrue(Dictionary.EMPTY.terms().isEmpty());
    }

    @Test
    void aDictionaryAtReachsLimitCorrectsQuickly() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < Dictionary.MAX_CHARS - 20; i++) {
            text.append("Term").append(i).append(" Phrase\n");
        }
        Dictionary big = Dictionary.parse(text.toString());
        Caption fin = fin(1, 0, 5000, "the committee will meet term12 phrase and", "term7 phrase on tuesday");
        Caption fixed = null;
        for (int i = 0; i < 1000; i++) { // warm up the JIT: a long event corrects thousands of captions
            fixed = big.correct(fin);
        }
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            fixed = big.correct(fin);
        }
        long perCaptionUs = (System.nanoTime() - started) / 1000 / 1000;
        assertEquals(List.of("the committee will meet Term12 Phrase and", "Term7 Phrase on tuesday"), fixed.lines());
        System.out.println("dictionary of " + big.terms().size() + " terms: " + perCaptionUs + " us per caption");
        assertTrue(perCaptionUs < 5_000, "a caption took " + perCaptionUs + " us to correct");
    }
}
