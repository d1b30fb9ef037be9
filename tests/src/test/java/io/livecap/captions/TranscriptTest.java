package io.livecap.captions;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static io.livecap.captions.Finals.fin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptTest {

    private static List<Cue> cues(Caption... finals) {
        return Transcript.of(List.of(finals)).cues();
    }

    @Test
    void aFinalRepeatedByAResumedStreamAppearsOnce() {
        List<Cue> cues = cues(fin(1, 1000, 2000, "the committee"), fin(2, 2500, 4000, "will meet"),
                fin(2, 2600, 4100, "will meet"), fin(3, 4500, 5000, "on tuesday"));
        assertEquals(List.of(List.of("the committee"), List.of("will meet"), List.of("on tuesday")),
                cues.stream().map(Cue::lines).toList());
        assertEquals(2500, cues.get(1).startMs(), "the first stored copy of a seq wins");
    }

    @Test
    void partialsAreNotPartOfTheTranscript() {
        Caption partial = new Caption("ev42", 1, false, 1, "the comm", List.of("the comm"), 1000, 1500, 0, 0,
                List.of(), "en-US");
        assertEquals(1, Transcript.of(List.of(partial, fin(2, 1000, 2000, "the committee"))).cues().size());
    }

    @Test
    void anOverlappingCueIsTrimmedToTheNextStart() {
        List<Cue> cues = cues(fin(1, 1000, 3000, "the committee"), fin(2, 2500, 4000, "will meet"));
        assertEquals(new Cue(1000, 2500, List.of("the committee")), cues.get(0));
        assertEquals(new Cue(2500, 4000, List.of("will meet")), cues.get(1));
    }

    @Test
    void aShortCueIsExtendedIntoTheFreeTimeAfterIt() {
        List<Cue> cues = cues(fin(1, 1000, 1001, "blink"), fin(2, 3000, 4000, "will meet"));
        assertEquals(new Cue(1000, 1200, List.of("blink")), cues.get(0));
    }

    @Test
    void aShortCueWithNoRoomAfterStartsEarlierIntoTheFreeTimeBeforeIt() {
        List<Cue> cues = cues(fin(1, 0, 500, "first"), fin(2, 1000, 1050, "blink"), fin(3, 1100, 2000, "next"));
        assertEquals(new Cue(900, 1100, List.of("blink")), cues.get(1));
        assertEquals(new Cue(1100, 2000, List.of("next")), cues.get(2));
    }

    @Test
    void shortCuesWithNoFreeTimeAroundAreMergedWithTheNext() {
        List<Cue> cues = cues(fin(1, 0, 1000, "first"), fin(2, 1000, 1050, "blink"), fin(3, 1100, 2000, "next"));
        assertEquals(2, cues.size());
        assertEquals(new Cue(1000, 2000, List.of("blink", "next")), cues.get(1));
    }

    @Test
    void cuesStartingTogetherAreMerged() {
        List<Cue> cues = cues(fin(1, 1000, 2000, "one"), fin(2, 1000, 1500, "two"));
        assertEquals(List.of(new Cue(1000, 2000, List.of("one", "two"))), cues);
    }

    @Test
    void aZeroLengthLastCueLastsTheMinimum() {
        assertEquals(List.of(new Cue(7000, 7200, List.of("bye"))), cues(fin(1, 7000, 7000, "bye")));
    }

    @Test
    void aCueEndingBeforeItStartsIsTreatedAsZeroLength() {
        assertEquals(List.of(new Cue(7000, 7200, List.of("bye"))), cues(fin(1, 7000, 6000, "bye")));
    }

    @Test
    void finalsStoredOutOfOrderComeOutInTimeOrder() {
        List<Cue> cues = cues(fin(2, 3000, 4000, "second"), fin(1, 1000, 2000, "first"));
        assertEquals(List.of("first", "second"), cues.stream().map(c -> c.lines().get(0)).toList());
    }

    @Test
    void theOffsetPlacesStreamTimeZeroInTheRecording() {
        List<Cue> cues = Transcript.of(List.of(fin(1, 1000, 2000, "hello")), Duration.ofMillis(90_500)).cues();
        assertEquals(new Cue(91_500, 92_500, List.of("hello")), cues.get(0));
    }

    @Test
    void aNegativeOffsetDropsWhatWasSaidBeforeTheRecordingAndCutsWhatStraddlesItsStart() {
        List<Cue> cues = Transcript.of(List.of(fin(1, 0, 900, "before"), fin(2, 1500, 3000, "straddles"),
                fin(3, 4000, 5000, "after")), Duration.ofMillis(-2000)).cues();
        assertEquals(List.of(new Cue(0, 1000, List.of("straddles")), new Cue(2000, 3000, List.of("after"))), cues);
    }

    @Test
    void blankCaptionsAreDroppedAndTextIsCleaned() {
        List<Cue> cues = cues(fin(1, 0, 1000, " ", ""), fin(2, 1000, 2000, "  the \u0001committee\n will ", "\t"),
                fin(3, 3000, 4000, "lone \uD800 surrogate \uFFFF and 👍 stay"));
        assertEquals(List.of(List.of("the committee will"), List.of("lone surrogate and 👍 stay")),
                cues.stream().map(Cue::lines).toList());
    }

    @Test
    void withoutLinesTheTextIsTheLine() {
        Caption noLines = new Caption("ev42", 1, true, 1, "the committee", List.of(), 0, 1000, 0, 0, List.of(), "en");
        assertEquals(List.of("the committee"), Transcript.of(List.of(noLines)).cues().get(0).lines());
    }

    @Test
    void theLanguageIsTheFirstOneTheFinalsName() {
        assertEquals("en-US", Transcript.of(List.of(fin(1, 0, 1000, "hi"))).language());
        assertEquals("", Transcript.of(List.of()).language());
        assertTrue(Transcript.of(List.of()).isEmpty());
    }

    @Test
    void noTextIsLostAndEveryCueIsValidWhateverTheFinals() {
        Random random = new Random(7);
        for (int run = 0; run < 1000; run++) {
            List<Caption> finals = Finals.random(random);
            List<Cue> cues = Transcript.of(finals).cues();
            List<String> expected = new ArrayList<>();
            Transcript.distinctFinals(finals).stream()
                    .sorted(Comparator.comparingLong(Caption::startMs))
                    .forEach(f -> f.lines().stream().map(Transcript::cleanText).filter(l -> !l.isEmpty())
                            .forEach(expected::add));
            int r = run;
            assertEquals(expected, cues.stream().flatMap(c -> c.lines().stream()).toList(), () -> "run " + r);
            long previousEndMs = 0;
            for (Cue cue : cues) {
                assertTrue(cue.startMs() >= previousEndMs, () -> "run " + r + ": " + cues);
                assertTrue(cue.durationMs() >= Cue.MIN_DURATION_MS, () -> "run " + r + ": " + cues);
                previousEndMs = cue.endMs();
            }
        }
    }
}
