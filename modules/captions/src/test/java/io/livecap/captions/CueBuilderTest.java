package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cues of delivered assets: merged, split at word times, broken at natural points, within the reading rules. */
class CueBuilderTest {

    private static final CueRules RULES = CueRules.DEFAULTS;

    /** A final whose words, separated by spaces, spread evenly over its time. */
    private static Caption fin(long seq, long startMs, long endMs, String text) {
        List<String> words = Arrays.stream(text.split(" ")).filter(w -> !w.isEmpty()).toList();
        List<CaptionWord> timed = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            timed.add(new CaptionWord(words.get(i), startMs + (endMs - startMs) * i / words.size(),
                    startMs + (endMs - startMs) * (i + 1) / words.size(), 0.9));
        }
        return new Caption("s", seq, true, seq, text, List.of(text), startMs, endMs, 0, 0, timed, "en-US");
    }

    private static List<Cue> cues(Caption... finals) {
        return Transcript.of(List.of(finals), Duration.ZERO, RULES).cues();
    }

    private static String text(List<Cue> cues) {
        return String.join(" ", cues.stream().map(c -> String.join(" ", c.lines())).toList());
    }

    /** Every rule, checked on the cues themselves (the validator checks the files). */
    private static void assertReadable(List<Cue> cues, CueRules rules) {
        long previousEndMs = 0;
        for (Cue cue : cues) {
            String where = cue.toString();
            assertTrue(cue.startMs() >= previousEndMs, "overlap: " + where);
            assertTrue(cue.lines().size() <= rules.maxLines(), where);
            cue.lines().forEach(l -> assertTrue(l.length() <= rules.maxCharsPerLine(), where));
            assertTrue(cue.durationMs() >= rules.minMs() && cue.durationMs() <= rules.maxMs(), where);
            assertTrue(rules.readable(String.join(" ", cue.lines()).length(), cue.durationMs()), "cps: " + where);
            previousEndMs = cue.endMs();
        }
    }

    @Test
    void shortFinalsCloseTogetherAreMergedIntoOneCue() {
        List<Cue> cues = cues(fin(1, 0, 400, "Hello."), fin(2, 500, 900, "How are"), fin(3, 1000, 1300, "you?"));
        assertEquals(1, cues.size(), cues.toString());
        assertEquals(List.of("Hello. How are you?"), cues.get(0).lines());
        assertEquals(0, cues.get(0).startMs());
        assertEquals(1300, cues.get(0).endMs(), "ends with its last word, which is after its reading time");
        assertTrue(cues.get(0).durationMs() >= RULES.requiredMs("Hello. How are you?".length()));
        assertReadable(cues, RULES);
    }

    @Test
    void aPauseSeparatesCues() {
        List<Cue> cues = cues(fin(1, 0, 1200, "first words"), fin(2, 4000, 5200, "after the pause"));
        assertEquals(2, cues.size());
        assertEquals(4000, cues.get(1).startMs(), "a cue starts with its first word");
        assertReadable(cues, RULES);
    }

    @Test
    void aLongFinalIsSplitAtWordTimesWithNoWordLost() {
        String said = "so today we will look at how the committee works and why it meets on tuesdays and what"
                + " it decides about the budget of the city and the schools and the roads and all of the other"
                + " things that people in the town care about when they vote in the spring";
        Caption fin = fin(1, 10_000, 34_000, said);
        List<Cue> cues = cues(fin);
        assertTrue(cues.size() >= 3, cues.toString());
        assertEquals(said, text(cues));
        List<Long> wordStarts = fin.words().stream().map(CaptionWord::startMs).toList();
        for (Cue cue : cues) {
            assertTrue(wordStarts.contains(cue.startMs()), "a cue starts at a word's time: " + cue);
        }
        assertReadable(cues, RULES);
    }

    @Test
    void aCueEndsAtASentenceEndOnceItIsHalfFull() {
        List<Cue> cues = cues(fin(1, 0, 6000,
                "The committee met on Tuesday to vote on the budget. Then it went home early."));
        assertEquals(List.of("The committee met on Tuesday", "to vote on the budget."), cues.get(0).lines());
        assertEquals(List.of("Then it went home early."), cues.get(1).lines());
        assertReadable(cues, RULES);
    }

    @Test
    void linesBreakAfterPunctuationAndNeverBetweenAnArticleAndItsNoun() {
        NaturalLineBreak two = new NaturalLineBreak(42, 2);
        assertEquals(List.of("The council approved the plan,", "and the mayor signed it today."),
                two.lines(List.of("The council approved the plan, and the mayor signed it today.".split(" "))));
        // the two balanced breaks are as long as each other: the one that keeps "the eeee" together wins
        NaturalLineBreak narrow = new NaturalLineBreak(24, 2);
        List<String> lines = narrow.lines(List.of("aaaa bbbb cccc dddd the eeee ffff gggg hhhh".split(" ")));
        assertEquals(List.of("aaaa bbbb cccc dddd", "the eeee ffff gggg hhhh"), lines);
        // before a conjunction rather than one word further
        assertEquals(List.of("We looked at the numbers", "and they were very good"),
                two.lines(List.of("We looked at the numbers and they were very good".split(" "))));
        // lines are balanced, not greedy
        List<String> balanced = two.lines(List.of(("one two three four five six seven eight nine ten eleven"
                + " twelve thirteen").split(" ")));
        assertEquals(2, balanced.size());
        assertTrue(Math.abs(balanced.get(0).length() - balanced.get(1).length()) <= 8, balanced.toString());
    }

    @Test
    void aWordSaidTooFastForItsLengthGetsTimeFromTheGapAfterIt() {
        List<Cue> cues = cues(fin(1, 5000, 5300, "Supercalifragilisticexpialidocious!"),
                fin(2, 9000, 10_000, "next"));
        assertEquals(5000, cues.get(0).startMs());
        assertEquals(RULES.requiredMs(35), cues.get(0).durationMs(), "extended into the gap after it");
        assertEquals(9000, cues.get(1).startMs());
        assertReadable(cues, RULES);
    }

    @Test
    void withoutAGapAfterItACueStartsEarlierIntoTheFreeTimeBefore() {
        // the first cue ends with a pause after it; the fast word has 300 ms before the next speaker's cue
        Caption next = new Caption("s", 3, true, 3, ">> And more.", List.of(">> And more."), 5600, 6600, 0, 0,
                List.of(new CaptionWord("and", 5600, 6000, 0.9), new CaptionWord("more", 6000, 6600, 0.9)), "en-US");
        List<Cue> cues = cues(fin(1, 0, 1000, "Well."), fin(2, 5000, 5300, "Supercalifragilisticexpialidocious!"),
                next);
        Cue fast = cues.get(1);
        assertTrue(fast.startMs() < 5000 && fast.endMs() <= 5600 + 1, "moved earlier: " + cues);
        assertEquals(5600, cues.get(2).startMs(), "the next cue keeps its time");
        assertReadable(cues, RULES);
    }

    @Test
    void withNoFreeTimeAroundTheNextCueLagsAndCatchesUpAtThePause() {
        // 60 characters a second for 6 s: far more than anyone reads
        StringBuilder fast = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            fast.append("word").append(i).append(' ');
        }
        List<Cue> cues = cues(fin(1, 0, 6000, fast.toString().strip()), fin(2, 60_000, 61_000, "later on"));
        assertReadable(cues, RULES);
        assertEquals(60_000, cues.get(cues.size() - 1).startMs(), "the lag is gone after the pause");
        assertEquals(fast.toString().strip() + " later on", text(cues));
    }

    @Test
    void slowSpeechNeverStaysOnScreenLongerThanTheMaximum() {
        StringBuilder slow = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            slow.append("w").append(i).append(' ');
        }
        List<Cue> cues = cues(fin(1, 0, 26_000, slow.toString().strip())); // 1.3 s a word, below the pause
        assertTrue(cues.size() >= 4, cues.toString());
        assertReadable(cues, RULES);
    }

    @Test
    void aSpeakerChangeStartsANewCueWithItsMark() {
        Caption first = fin(1, 0, 1000, "I agree.");
        Caption second = fin(2, 1100, 2000, "no");
        second = new Caption("s", 2, true, 2, ">> No, I don't.", List.of(">> No, I don't."), 1100, 2000, 0, 0,
                List.of(new CaptionWord("no", 1100, 1400, 0.9), new CaptionWord("i", 1400, 1600, 0.9),
                        new CaptionWord("don't", 1600, 2000, 0.9)), "en-US");
        List<Cue> cues = cues(first, second);
        assertEquals(2, cues.size(), cues.toString());
        assertEquals(List.of(">> No, I don't."), cues.get(1).lines());
        assertReadable(cues, RULES);
    }

    @Test
    void aWordWiderThanALineIsCutIntoLineWidePieces() {
        String word = "x".repeat(100);
        List<Cue> cues = cues(fin(1, 0, 2000, word));
        assertReadable(cues, RULES);
        assertEquals(word, text(cues).replace(" ", ""));
    }

    @Test
    void limitsThatNoCueCouldMeetAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CueRules(42, 2, 5, 1000, 7000));
        assertThrows(IllegalArgumentException.class, () -> new CueRules(42, 2, 17, 8000, 7000));
        assertThrows(IllegalArgumentException.class, () -> new CueRules(42, 2, 17, 100, 7000));
    }

    /** Random speech (fast, slow, pauses, overlapping finals), random limits: every rule holds and no word is lost. */
    @Test
    void randomSpeechGivesReadableCuesInEveryFormat() {
        Random random = new Random(15);
        String[] vocabulary = {"the", "a", "committee", "will", "meet,", "on", "Tuesday.", "and", "of",
                "extraordinarily", "I", "budget?", "R&D", "<i>", "café", "ok"};
        for (int run = 0; run < 300; run++) {
            CueRules rules = random.nextBoolean() ? RULES : new CueRules(32, 1 + random.nextInt(3), 20, 1000, 6000);
            List<Caption> finals = new ArrayList<>();
            List<String> all = new ArrayList<>();
            long at = random.nextInt(3000);
            int count = 1 + random.nextInt(30);
            for (int seq = 1; seq <= count; seq++) {
                int words = 1 + random.nextInt(25);
                List<String> said = new ArrayList<>();
                for (int w = 0; w < words; w++) {
                    said.add(vocabulary[random.nextInt(vocabulary.length)]);
                }
                long length = words * (50L + random.nextInt(700));
                finals.add(fin(seq, at, at + length, String.join(" ", said)));
                all.addAll(said);
                at += length + random.nextInt(3000) - 200; // gaps, and a little overlap now and then
                at = Math.max(at, finals.get(finals.size() - 1).startMs() + length);
            }
            Transcript transcript = Transcript.of(finals, Duration.ZERO, rules);
            assertReadable(transcript.cues(), rules);
            assertEquals(String.join(" ", all), text(transcript.cues()), "run " + run);
            for (OutputFormat format : OutputFormat.values()) {
                String file = new TranscriptWriter(format).write(transcript);
                int r = run;
                assertEquals(List.of(), SubtitleValidator.problems(format, file, rules), () -> "run " + r + "\n" + file);
                SubtitleValidator.Report partner = SubtitleValidator.check(format, file, SubtitleValidator.Rules.PARTNER);
                assertTrue(partner.valid() && partner.warnings().isEmpty(), () -> "run " + r + " " + partner);
            }
        }
    }

    @Test
    void theValidatorNamesEachReadingRuleABrokenFileBreaks() {
        String srt = """
                1
                00:00:00,000 --> 00:00:00,500
                short

                2
                00:00:01,000 --> 00:00:09,000
                too long on screen

                3
                00:00:09,000 --> 00:00:10,000
                this line is much much longer than forty-two characters
                two
                three

                4
                00:00:09,500 --> 00:00:11,000
                fifty characters shown for one and a half seconds.
                """;
        List<String> problems = SubtitleValidator.problems(OutputFormat.SRT, srt, RULES);
        String all = String.join("\n", problems);
        assertTrue(all.contains("cue 1") && all.contains("less than 1000 ms"), all);
        assertTrue(all.contains("cue 2") && all.contains("more than 7000 ms"), all);
        assertTrue(all.contains("cue 3") && all.contains("3 lines"), all);
        assertTrue(all.contains("a line of 55 characters"), all);
        assertTrue(all.contains("characters per second"), all);
        assertTrue(all.contains("cue 4") && all.contains("overlaps"), all);
        assertFalse(SubtitleValidator.problems(OutputFormat.SRT, srt).stream().anyMatch(p -> p.contains("lines")),
                "without reading rules only structure and times are checked");
        // DFXP lines are counted at <br/>
        String dfxp = """
                <?xml version="1.0" encoding="UTF-8"?>
                <tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><div>
                <p begin="00:00:01.000" end="00:00:04.000">one<br/>two<br/>three</p>
                </div></body></tt>
                """;
        assertTrue(String.join(" ", SubtitleValidator.problems(OutputFormat.DFXP, dfxp, RULES)).contains("3 lines"));
    }
}
