package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;
import io.livecap.timing.TimingMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionBuilderTest {

    private final List<Caption> out = new ArrayList<>();
    private final TimingMap timing = new TimingMap(16_000, 90_000, 33);
    private final CaptionBuilder builder = new CaptionBuilder("ev42", "en-US", timing, LineBreaker.defaults(), 1,
            out::add);

    CaptionBuilderTest() {
        for (int i = 0; i < 100; i++) { // 10 s of 100 ms chunks from pts 1,000,000, arriving every 100 ms
            timing.append(1_000_000 + i * 9_000L, 1_700_000_000_000L + i * 100, 1600);
        }
    }

    private static RecognizedWord w(String word, long start, long end) {
        return new RecognizedWord(word, start, end, 0.9);
    }

    @Test
    void partialsThenFinalShareAnUtteranceAndSeqHasNoGaps() {
        builder.onPartial(new Hypothesis(List.of(w("the", 1230, 1400)), 1230, 1400));
        builder.onPartial(new Hypothesis(List.of(w("the", 1230, 1400), w("committee", 1400, 1900)), 1230, 1900));
        builder.onFinal(new Hypothesis(List.of(w("the", 1230, 1400), w("committee", 1400, 1900)), 1230, 1900));
        builder.onPartial(new Hypothesis(List.of(w("will", 2500, 2700)), 2500, 2700));
        assertEquals(List.of(1L, 2L, 3L, 4L), out.stream().map(Caption::seq).toList());
        assertEquals(List.of(1L, 1L, 1L, 2L), out.stream().map(Caption::utterance).toList());
        assertEquals(List.of(false, false, true, false), out.stream().map(Caption::isFinal).toList());
    }

    @Test
    void finalIsStampedFromItsFirstWordThroughTheTimingMap() {
        builder.onFinal(new Hypothesis(List.of(w("the", 1230, 1400), w("committee", 1400, 1900)), 1200, 1900));
        Caption fin = out.get(0);
        assertEquals(1230, fin.startMs());
        assertEquals(1900, fin.endMs());
        assertEquals(1_700_000_000_000L + 1200 + 30, fin.startEpoch());
        assertEquals(1_000_000 + 1230 * 90, fin.startPts());
        assertEquals("the committee", fin.text());
        assertEquals(List.of("the committee"), fin.lines());
        assertEquals(2, fin.words().size());
    }

    @Test
    void unchangedPartialIsRepeatedOnlyAfter300msOfAudio() {
        builder.onPartial(new Hypothesis(List.of(w("the", 1000, 1200)), 1000, 1200));
        builder.onPartial(new Hypothesis(List.of(w("the", 1000, 1200)), 1000, 1400));
        builder.onPartial(new Hypothesis(List.of(w("the", 1000, 1200)), 1000, 1500));
        assertEquals(2, out.size());
        assertEquals(1500, out.get(1).endMs());
    }

    @Test
    void aLongFinalBecomesOneFinalPerCaptionBlock() {
        String[] text = ("today we will talk about the history of the industrial revolution and heavy rain is"
                + " expected across the north of the country this weekend").split(" ");
        List<RecognizedWord> words = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            words.add(w(text[i], 1000 + i * 300L, 1250 + i * 300L));
        }
        builder.onFinal(new Hypothesis(words, 1000, 1250 + (text.length - 1) * 300L));
        assertEquals(2, out.size());
        assertTrue(out.stream().allMatch(Caption::isFinal));
        assertEquals(out.get(0).utterance(), out.get(1).utterance());
        assertEquals(String.join(" ", text), out.get(0).text() + " " + out.get(1).text());
        Caption second = out.get(1);
        assertEquals(second.words().get(0).startMs(), second.startMs());
        assertEquals(1_000_000 + second.startMs() * 90, second.startPts());
        out.forEach(c -> c.lines().forEach(l -> assertTrue(l.length() <= 42)));
    }

    @Test
    void emptyResultsMakeNoCaption() {
        builder.onPartial(new Hypothesis(List.of(), 0, 100));
        builder.onFinal(new Hypothesis(List.of(), 0, 100));
        assertTrue(out.isEmpty());
        assertFalse(builder.nextSeq() != 1);
    }
}
