package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the cue builder over any speech jqwik makes up (words of any length said at any speed, pauses of
 * any length, finals of any size): every cue within the reading rules, no word lost, reordered or added, and every
 * format of the asset accepted by the validator with the reading rules. jqwik shrinks a failure to its smallest case.
 */
class CueBuilderPropertiesTest {

    /** A word, how long it is said, and the silence before it. */
    record Said(String word, long durationMs, long gapMs) {
    }

    @Provide
    Arbitrary<List<List<Said>>> speech() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of("the", "a", "and", "of", "committee", "Tuesday.", "meet,", "budget?", "I", "R&D"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(60));
        Arbitrary<Said> said = Combinators.combine(word, Arbitraries.longs().between(0, 2000),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, 5000)))
                .as(Said::new);
        return said.list().ofMinSize(1).ofMaxSize(30).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<CueRules> rules() {
        return Arbitraries.of(CueRules.DEFAULTS, new CueRules(32, 2, 20, 1000, 6000), new CueRules(37, 3, 25, 800, 7000),
                new CueRules(42, 1, 17, 1000, 5000));
    }

    @Property(tries = 300)
    void everyCueIsReadableAndNoWordIsLost(@ForAll("speech") List<List<Said>> speech, @ForAll("rules") CueRules rules) {
        List<Caption> finals = new ArrayList<>();
        List<String> all = new ArrayList<>();
        long at = 0;
        for (List<Said> utterance : speech) {
            List<CaptionWord> words = new ArrayList<>();
            long start = at + utterance.get(0).gapMs();
            for (Said s : utterance) {
                at += s.gapMs();
                words.add(new CaptionWord(s.word(), at, at + s.durationMs(), 0.9));
                at += s.durationMs();
                all.add(s.word());
            }
            String text = String.join(" ", utterance.stream().map(Said::word).toList());
            finals.add(new Caption("s", finals.size() + 1, true, finals.size() + 1, text, List.of(text), start, at,
                    0, 0, words, "en-US"));
        }
        Transcript transcript = Transcript.of(finals, Duration.ZERO, rules);
        long previousEndMs = 0;
        StringBuilder shown = new StringBuilder();
        for (Cue cue : transcript.cues()) {
            assertTrue(cue.startMs() >= previousEndMs, "no overlap " + cue);
            assertTrue(cue.lines().size() <= rules.maxLines(), cue.toString());
            cue.lines().forEach(l -> assertTrue(l.length() <= rules.maxCharsPerLine(), cue.toString()));
            assertTrue(cue.durationMs() >= rules.minMs() && cue.durationMs() <= rules.maxMs(), cue.toString());
            assertTrue(rules.readable(String.join(" ", cue.lines()).length(), cue.durationMs()), cue.toString());
            previousEndMs = cue.endMs();
            cue.lines().forEach(l -> shown.append(l.replace(" ", "")));
        }
        // a word wider than a line is cut into pieces: compare the characters, in order
        assertEquals(String.join("", all), shown.toString());
        for (OutputFormat format : OutputFormat.values()) {
            String file = new TranscriptWriter(format).write(transcript);
            assertEquals(List.of(), SubtitleValidator.problems(format, file, rules), format + "\n" + file);
        }
    }
}
