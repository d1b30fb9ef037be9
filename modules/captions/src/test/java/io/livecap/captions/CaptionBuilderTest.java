package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;
import io.livecap.timing.TimelinePoint;
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

    @Test
    void aSourceThatContinuesItsStreamNumbersOnAndStampsTheStreamsTimeline() {
        TimingMap resumed = new TimingMap(16_000, 90_000, 33);
        // the stream's previous source left the timeline at 20 s; this one arrives 5 s later with its pts from 0
        resumed.continueAfter(new TimelinePoint(20_000, 1_700_000_020_000L, 1_800_000, 90_000, 33));
        for (int i = 0; i < 50; i++) {
            resumed.append(i * 9_000L, 1_700_000_025_000L + i * 100, 1600);
        }
        List<Caption> captions = new ArrayList<>();
        CaptionBuilder next = new CaptionBuilder("ev42", "en-US", resumed, LineBreaker.defaults(), 39, 2, 7, 19_800,
                Stability.OFF,
                captions::add);
        next.onFinal(new Hypothesis(List.of(w("welcome", 290, 700), w("back", 700, 1000)), 290, 1000));
        Caption fin = captions.get(0);
        assertEquals(39, fin.seq());
        assertEquals(7, fin.utterance());
        assertEquals(2, fin.session());
        assertEquals(25_290, fin.startMs(), "previous end + 5 s gap + 290 ms, not 290");
        assertEquals(26_000, fin.endMs());
        assertEquals(290 * 90, fin.startPts(), "start_pts stays the source's own clock");
        assertEquals(1_700_000_025_290L, fin.startEpoch());
        assertEquals(List.of(25_290L, 25_700L), fin.words().stream().map(CaptionWord::startMs).toList());
        assertEquals(8, next.nextUtterance());
        assertEquals(26_000, next.lastFinalEndMs());
    }

    @Test
    void noFinalStartsBeforeThePreviousOneEnded() {
        // engines let neighbouring words overlap: the second utterance's first word starts inside the first's last
        builder.onFinal(new Hypothesis(List.of(w("the", 1000, 1400), w("committee", 1400, 2100)), 1000, 2100));
        builder.onFinal(new Hypothesis(List.of(w("will", 1950, 2300), w("meet", 2300, 2600)), 1950, 2600));
        Caption first = out.get(0);
        Caption second = out.get(1);
        assertEquals(2100, first.endMs());
        assertEquals(2100, second.startMs());
        assertEquals(1_000_000 + 2100 * 90, second.startPts(), "its other clocks follow the start it got");
        assertTrue(second.words().get(0).startMs() >= first.endMs());
    }
}
