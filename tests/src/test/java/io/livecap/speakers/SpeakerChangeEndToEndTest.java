package io.livecap.speakers;

import io.livecap.captions.Caption;
import io.livecap.captions.TranscriptWriter;
import io.livecap.client.AudioFeeder;
import io.livecap.node.LivecapNode;
import io.livecap.reach.OutputFormat;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code captions.speaker_changes} on, three flite voices taking turns through the server: the caption that
 * starts each turn says {@code >> } and carries {@code "speaker_change": true}, and the SRT made from the finals
 * shows the marks.
 */
class SpeakerChangeEndToEndTest {

    private static final long TOLERANCE_MS = 1_500;

    @Test
    void theFirstCaptionOfEachTurnIsMarked(@TempDir Path dir) throws Exception {
        ThreeVoices voices = ThreeVoices.make(dir);
        try (LivecapNode node = LivecapNode.start(TestConfig.local(Map.of("captions.speaker_changes", "true")),
                TestEngines.pocketsphinx())) {
            AudioFeeder feeder = new AudioFeeder();
            StreamRun run = new StreamRun(node, "turns", feeder);
            AudioFeeder.Source audio = AudioFeeder.of(voices.samples(), 16_000, 1);
            run.open(audio);
            feeder.feedChunks(audio, run.source(), true);
            // 87 s of audio through pocketsphinx and the detector: minutes on a loaded 2-core machine
            run.captions().awaitEos(300_000);
            List<Caption> finals = run.finals();
            List<Caption> marked = finals.stream().filter(Caption::speakerChange).toList();
            List<Long> marks = marked.stream().map(SpeakerChangeEndToEndTest::markedAt).toList();
            System.out.println("speaker changes through the server: true " + voices.changesMs() + ", marks at "
                    + marks);
            for (Caption c : marked) {
                assertTrue(String.join(" ", c.lines()).equals(c.text()), c.toString());
            }
            assertTrue(finals.stream().filter(c -> !c.speakerChange()).noneMatch(c -> c.text().contains(">>")),
                    "only marked captions say >>");
            for (long change : voices.changesMs()) {
                assertTrue(marks.stream().anyMatch(m -> Math.abs(m - change) <= TOLERANCE_MS),
                        "no mark within 1.5 s of the change at " + change + " ms: marks at " + marks);
            }
            long falseMarks = marks.stream().filter(m -> voices.changesMs().stream()
                    .noneMatch(change -> Math.abs(m - change) <= TOLERANCE_MS)).count();
            assertTrue(falseMarks <= 1, falseMarks + " marks away from any change");
            String srt = new TranscriptWriter(OutputFormat.SRT).write(finals);
            long inSrt = srt.lines().filter(l -> l.contains(">> ")).count();
            assertTrue(inSrt == marked.size(), inSrt + " marked cues in the SRT, " + marked.size() + " marked finals");
        }
    }

    /** Where a marked caption's new speaker starts: the start of the word after {@code >> }. */
    private static long markedAt(Caption c) {
        List<String> tokens = List.of(c.text().split(" "));
        int mark = tokens.indexOf(">>");
        assertTrue(mark >= 0 && mark < c.words().size(), "a marked caption says >> before a word: " + c.text());
        return c.words().get(mark).startMs();
    }
}
