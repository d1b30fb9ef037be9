package io.livecap.captions;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static io.livecap.captions.Finals.fin;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AccuracyTest {

    private static Caption withWords(long seq, CaptionWord... words) {
        return new Caption("ev42", seq, true, seq, "x", List.of("x"), words[0].startMs(),
                words[words.length - 1].endMs(), 0, 0, List.of(words), "en-US");
    }

    @Test
    void accuracyIsTheDurationWeightedMeanConfidenceNotThePlainMean() {
        // a long word heard clearly and a short one barely: plain mean 50, weighted (0.9 * 1000 + 0.1 * 100) / 1100
        Caption fin = withWords(1, new CaptionWord("committee", 0, 1000, 0.9), new CaptionWord("a", 1000, 1100, 0.1));
        assertEquals(OptionalInt.of(83), Accuracy.percent(List.of(fin)));
    }

    @Test
    void allWordsOfAllDistinctFinalsCount() {
        assertEquals(OptionalInt.of(90), Accuracy.percent(List.of(fin(1, 0, 1000, "the committee"),
                fin(2, 1000, 2000, "will meet"))));
        Caption repeated = withWords(1, new CaptionWord("the", 0, 500, 0.1));
        assertEquals(OptionalInt.of(90), Accuracy.percent(List.of(fin(1, 0, 1000, "the committee"), repeated)),
                "a seq stored twice by a resumed stream counts once");
    }

    @Test
    void withNoWordsThereIsNoFigure() {
        assertEquals(OptionalInt.empty(), Accuracy.percent(List.of()));
        Caption wordless = new Caption("ev42", 1, true, 1, "x", List.of("x"), 0, 1000, 0, 0, List.of(), "en");
        assertEquals(OptionalInt.empty(), Accuracy.percent(List.of(wordless)));
    }

    @Test
    void partialsDoNotCount() {
        Caption partial = new Caption("ev42", 2, false, 2, "x", List.of("x"), 0, 1000, 0, 0,
                List.of(new CaptionWord("x", 0, 1000, 0.0)), "en");
        assertEquals(OptionalInt.of(90), Accuracy.percent(List.of(fin(1, 0, 1000, "the committee"), partial)));
    }

    @Test
    void anUntimedWordStillCountsAndAWordStretchedOverSilenceCountsAsOneSecond() {
        // 10 ms at 0.0 against 100 ms at 1.0: 100 / 110
        assertEquals(OptionalInt.of(91), Accuracy.percent(List.of(withWords(1,
                new CaptionWord("um", 0, 0, 0.0), new CaptionWord("yes", 0, 100, 1.0)))));
        // 1000 ms (of 60 s) at 0.0 against 1000 ms at 1.0: 50
        assertEquals(OptionalInt.of(50), Accuracy.percent(List.of(withWords(1,
                new CaptionWord("noise", 0, 60_000, 0.0), new CaptionWord("yes", 60_000, 61_000, 1.0)))));
    }

    @Test
    void confidencesOutsideZeroToOneAreClamped() {
        assertEquals(OptionalInt.of(50), Accuracy.percent(List.of(withWords(1,
                new CaptionWord("a", 0, 500, 1.7), new CaptionWord("b", 500, 1000, -0.3)))));
        assertEquals(OptionalInt.of(0), Accuracy.percent(List.of(withWords(1,
                new CaptionWord("a", 0, 500, Double.NaN)))));
    }
}
