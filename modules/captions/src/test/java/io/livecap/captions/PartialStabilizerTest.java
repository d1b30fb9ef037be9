package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartialStabilizerTest {

    private static RecognizedWord w(String word, long start, long end) {
        return new RecognizedWord(word, start, end, 0);
    }

    private static Hypothesis heard(long heardMs, RecognizedWord... words) {
        return new Hypothesis(List.of(words), words.length == 0 ? heardMs : words[0].startMs(), heardMs);
    }

    private static String show(List<PartialStabilizer.Shown> shown) {
        List<String> out = new ArrayList<>();
        shown.forEach(s -> out.add(s.word().word() + (s.stable() ? "" : "?")));
        return String.join(" ", out);
    }

    @Test
    void aWordCommitsWhenTwoHypothesesAgreeAndTheEngineHasHeardPastIt() {
        PartialStabilizer medium = new PartialStabilizer(Stability.MEDIUM);
        assertEquals("", show(medium.partial(heard(400, w("the", 100, 300), w("come", 300, 400)))));
        // agreed on "the", heard 200 ms past it; "committee" is new
        assertEquals("the", show(medium.partial(heard(500, w("the", 100, 300), w("committee", 300, 500)))));
        // "committee" agreed but still being spoken (heard to its end): not yet
        assertEquals("the", show(medium.partial(heard(600, w("the", 100, 300), w("committee", 300, 600)))));
        assertEquals("the committee", show(medium.partial(heard(800, w("the", 100, 300),
                w("committee", 300, 600), w("will", 650, 800)))));
    }

    @Test
    void aCommittedWordIsNeverRewrittenThoughLaterHypothesesChangeIt() {
        PartialStabilizer low = new PartialStabilizer(Stability.LOW);
        assertEquals("and? i?", show(low.partial(heard(350, w("and", 0, 200), w("i", 200, 350)))));
        assertEquals("and i? got?", show(low.partial(heard(450, w("and", 0, 200), w("i", 200, 350),
                w("got", 350, 450)))));
        // the engine re-segments: "and i" becomes "andy"; the committed "and" stays, times decide what follows
        assertEquals("and got?", show(low.partial(heard(550, w("andy", 0, 350), w("got", 350, 550)))));
    }

    @Test
    void anOldWordCommitsWhateverTheHypothesesSay() {
        PartialStabilizer medium = new PartialStabilizer(Stability.MEDIUM);
        assertEquals("", show(medium.partial(heard(900, w("hello", 0, 400)))));
        // one hypothesis only, but "hello" ended 1 s before what was heard
        assertEquals("hello", show(medium.partial(heard(1_400, w("hello", 0, 400), w("world", 500, 1_400)))));
    }

    @Test
    void theFinalCountsTheCommittedWordsItChangedAndTheNextUtteranceStartsAfresh() {
        PartialStabilizer medium = new PartialStabilizer(Stability.MEDIUM);
        medium.partial(heard(700, w("my", 0, 200), w("brow", 200, 500)));
        medium.partial(heard(800, w("my", 0, 200), w("brow", 200, 500), w("act", 500, 800)));
        assertEquals(2, medium.committedWords());
        medium.fin(heard(900, w("my", 0, 200), w("arm", 200, 500), w("act", 500, 900)));
        assertEquals(1, medium.corrected(), "brow became arm");
        assertEquals("", show(medium.partial(heard(2_300, w("next", 2_000, 2_300)))));
    }

    @Test
    void offShowsTheEnginesPartialAndCommitsNothing() {
        PartialStabilizer off = new PartialStabilizer(Stability.OFF);
        off.partial(heard(700, w("a", 0, 200), w("b", 200, 400)));
        assertEquals("a? b?", show(off.partial(heard(800, w("a", 0, 200), w("b", 200, 400)))));
        assertEquals(0, off.committedWords());
    }

    @Test
    void levelsAreNamedAsTheConfigurationSpellsThem() {
        assertEquals(Stability.HIGH, Stability.parse(" High "));
        assertEquals("medium", Stability.MEDIUM.wireName());
        assertThrows(IllegalArgumentException.class, () -> Stability.parse("max"));
    }
}
