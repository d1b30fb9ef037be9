package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognizedWord;
import io.livecap.timing.TimingMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Early finals on hand-made hypotheses: a speaker who never pauses long enough for the engine's end of utterance. */
class EarlyFinalTest {

    private final List<Caption> out = new ArrayList<>();
    private final TimingMap timing = new TimingMap(16_000, 90_000, 33);

    EarlyFinalTest() {
        for (int i = 0; i < 400; i++) { // 40 s of 100 ms chunks
            timing.append(i * 9_000L, 1_700_000_000_000L + i * 100, 1600);
        }
    }

    private CaptionBuilder builder(long maxFinalDelayMs) {
        return new CaptionBuilder("ev42", "en-US", timing, LineBreaker.defaults(), 1, 1, 1, 0, Stability.MEDIUM,
                CaseAndPunctuation.NONE, maxFinalDelayMs, out::add);
    }

    /** Word i: "w{i}" from 400 i to 400 i + 300 ms. */
    private static List<RecognizedWord> words(int from, int to) {
        List<RecognizedWord> words = new ArrayList<>();
        for (int i = from; i < to; i++) {
            words.add(new RecognizedWord("w" + i, 400L * i, 400L * i + 300, 0.9));
        }
        return words;
    }

    /** Partials every 100 ms of one utterance that goes on to {@code untilMs}, each word heard as it ends. */
    private static void speak(CaptionBuilder builder, long untilMs) {
        for (long heard = 100; heard <= untilMs; heard += 100) {
            int count = (int) Math.max(0, (heard - 300) / 400 + 1);
            if (count > 0) {
                builder.onPartial(new Hypothesis(words(0, count), 0, heard));
            }
        }
    }

    private List<Caption> finals() {
        return out.stream().filter(Caption::isFinal).toList();
    }

    @Test
    void withoutItNoFinalComesBeforeTheEnginesOwn() {
        speak(builder(0), 10_000);
        assertEquals(0, finals().size());
    }

    @Test
    void wordsGoOutAsFinalsWithinTheDelayAndTheEnginesFinalCarriesOnlyTheRest() {
        CaptionBuilder builder = builder(3_000);
        List<Long> emittedAt = new ArrayList<>();
        for (long heard = 100; heard <= 10_000; heard += 100) {
            int before = finals().size();
            int count = (int) Math.max(0, (heard - 300) / 400 + 1);
            if (count > 0) {
                builder.onPartial(new Hypothesis(words(0, count), 0, heard));
            }
            for (int i = before; i < finals().size(); i++) {
                emittedAt.add(heard);
            }
        }
        List<Caption> early = finals();
        assertTrue(early.size() >= 2, "early finals while the utterance goes on: " + early);
        for (int i = 0; i < early.size(); i++) {
            long firstWordEnd = early.get(i).words().get(0).endMs();
            assertTrue(emittedAt.get(i) - firstWordEnd <= 3_100, "the oldest word waited at most the delay: "
                    + early.get(i) + " at " + emittedAt.get(i));
        }
        int sent = early.stream().mapToInt(c -> c.words().size()).sum();
        // the engine's final changes one word already sent and one not yet sent
        List<RecognizedWord> fin = new ArrayList<>(words(0, 25));
        fin.set(0, new RecognizedWord("changed", 0, 300, 0.9));
        fin.set(sent, new RecognizedWord("fixed", 400L * sent, 400L * sent + 300, 0.9));
        builder.onFinal(new Hypothesis(fin, 0, 10_000));
        String all = finals().stream().map(Caption::text).collect(Collectors.joining(" "));
        List<String> expected = words(0, 25).stream().map(RecognizedWord::word).collect(Collectors.toList());
        expected.set(sent, "fixed");
        assertEquals(String.join(" ", expected), all, "every word once, in order; the final corrects only the rest");
        assertEquals(1, builder.finalDisagreed());
        assertEquals(early.size(), builder.earlyFinals());
        long seq = 0;
        long utterance = 0;
        long end = 0;
        for (Caption c : out) {
            assertTrue(c.seq() > seq);
            seq = c.seq();
            assertTrue(c.startMs() >= end, "nothing starts before the last final ended: " + c);
            assertTrue(c.utterance() >= utterance);
            utterance = c.utterance();
            if (c.isFinal()) {
                end = c.endMs();
                assertEquals(c.words().get(0).startMs() * 90, c.startPts());
            }
        }
        List<Long> finalUtterances = finals().stream().map(Caption::utterance).distinct().toList();
        assertEquals(finals().size(), finalUtterances.size(), "each early final closes its own utterance number");
        assertEquals(finals().size() + 1, builder.nextUtterance());
    }

    @Test
    void aFullBlockGoesOutBeforeTheDelay() {
        CaptionBuilder builder = builder(30_000);
        speak(builder, 20_000);
        List<Caption> early = finals();
        assertTrue(!early.isEmpty(), "a full block is final without waiting for the delay");
        Caption first = early.get(0);
        assertEquals(2, first.lines().size());
        assertTrue(first.text().length() > 42, "a full block: " + first.text());
    }

    @Test
    void partialsAfterAnEarlyFinalShowOnlyTheWordsNotSent() {
        CaptionBuilder builder = builder(3_000);
        speak(builder, 8_000);
        Caption lastFinal = finals().get(finals().size() - 1);
        String lastSent = lastFinal.words().get(lastFinal.words().size() - 1).word();
        List<Caption> after = out.subList(out.indexOf(lastFinal) + 1, out.size());
        assertTrue(after.stream().noneMatch(c -> c.words().stream().anyMatch(w -> w.word().equals(lastSent))),
                "no partial shows a word already final");
        assertTrue(after.stream().allMatch(c -> c.utterance() == lastFinal.utterance() + 1), "partials go on under the"
                + " next utterance number");
        builder.onFinal(new Hypothesis(List.of(), 0, 8_000)); // an empty final changes nothing
    }
}
