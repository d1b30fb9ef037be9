package io.livecap.captions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RuleRestorerTest {

    /** Words 300 ms long; {@code |} marks a 400 ms pause, {@code ||} a 1.2 s one, else 20 ms between words. */
    private static List<CaptionWord> spoken(String script) {
        List<CaptionWord> words = new ArrayList<>();
        long at = 0;
        for (String token : script.split(" ")) {
            if (token.equals("|")) {
                at += 380;
            } else if (token.equals("||")) {
                at += 1_180;
            } else {
                words.add(new CaptionWord(token, at, at + 300, 0.9));
                at += 320;
            }
        }
        return words;
    }

    private static String restore(CaseAndPunctuation restorer, String script, boolean fin) {
        return String.join(" ", restorer.restore(spoken(script), fin));
    }

    private static WordList names(Path dir) throws Exception {
        Path file = dir.resolve("words");
        Files.write(file, List.of("Tuesday", "Tuesday's", "Mars", "mars", "NASA", "library", "I", "i", "Pole", "POLE"));
        return WordList.read(file);
    }

    @Test
    void sentencesEndAtTheUtteranceAndAtLongPausesCommasAtMediumOnes(@TempDir Path dir) throws Exception {
        RuleRestorer rules = new RuleRestorer(names(dir));
        assertEquals("The committee will meet on Tuesday. We will see, then decide.", restore(rules,
                "the committee will meet on tuesday || we will see | then decide", true));
    }

    @Test
    void aPartialGetsNoFullStopAtItsEndAndTeachesNothing(@TempDir Path dir) throws Exception {
        RuleRestorer rules = new RuleRestorer(names(dir));
        assertEquals("I think I'm right", restore(rules, "i think i'm right", false));
        assertEquals(RuleRestorer.FIRST_MEAN_MS, rules.meanPauseMs());
    }

    @Test
    void questionsByHowTheyOpen(@TempDir Path dir) throws Exception {
        RuleRestorer rules = new RuleRestorer(names(dir));
        assertEquals("What did NASA find on mars? It was water.", restore(rules,
                "what did nasa find on mars || it was water", true));
    }

    @Test
    void namesAndAcronymsOnlyWhenTheListKnowsNoOtherCasing(@TempDir Path dir) throws Exception {
        WordList list = names(dir);
        assertEquals(Optional.of("Tuesday"), list.casing("tuesday"));
        assertEquals(Optional.of("NASA"), list.casing("nasa"));
        assertEquals(Optional.empty(), list.casing("mars"), "also a verb");
        assertEquals(Optional.empty(), list.casing("pole"), "two casings");
        assertEquals("On Tuesday's list, the mars bar.", restore(new RuleRestorer(list),
                "on tuesday's list | the mars bar", true));
    }

    @Test
    void abbreviationsAreLeftAlone(@TempDir Path dir) throws Exception {
        RuleRestorer rules = new RuleRestorer(names(dir));
        // a title's full stop ends no sentence, whatever the pause; "etc." gets no second full stop
        assertEquals("We met dr. smith and so on etc.", restore(rules, "we met dr. || smith and so on etc.", true));
    }

    @Test
    void pausesAreJudgedAgainstTheSpeakersOwn(@TempDir Path dir) throws Exception {
        RuleRestorer rules = new RuleRestorer(names(dir));
        // a slow speaker: every pause 1.2 s; after ten of them that is ordinary, not the end of a sentence
        for (int i = 0; i < 3; i++) {
            rules.restore(spoken("a || b || c || d || e"), true);
        }
        assertEquals(1_200, rules.meanPauseMs(), 50);
        assertEquals("Then, we go.", restore(rules, "then || we go", true));
    }

    @Test
    void debiansListNamesTheDaysAndLeavesCommonWords() {
        assumeTrue(Files.isReadable(Path.of(WordList.DEBIAN)),
                "skipped: no " + WordList.DEBIAN + " (apt-get install wamerican)");
        WordList debian = WordList.debian();
        assertEquals(Optional.of("Tuesday"), debian.casing("tuesday"));
        assertEquals(Optional.of("English"), debian.casing("english"));
        assertEquals(Optional.empty(), debian.casing("library"));
        assertEquals(Optional.empty(), debian.casing("may"));
    }
}
