package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static io.livecap.captions.SubtitleValidator.Rules.PARTNER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transcript livecap delivers passes the fake partner's own caption file check, in every output format.
 * Here rather than beside the writer because the check is the sandbox's, package-private, and independent of ours.
 */
class TranscriptPassesPartnerRulesTest {

    @Test
    void everyFormatOfATypicalTranscriptPassesWithoutWarnings() {
        List<Caption> finals = List.of(
                Finals.fin(1, 1230, 3000, "the committee will meet", "on tuesday"),
                Finals.fin(2, 2900, 2901, "R&D <budget> --> Q3"),
                Finals.fin(2, 2900, 4000, "R&D <budget> --> Q3"),
                Finals.fin(3, 2950, 6000, "café 日本語"));
        for (OutputFormat format : OutputFormat.values()) {
            String file = new TranscriptWriter(format).write(finals, Duration.ofSeconds(30));
            SubtitleValidator.Report result = SubtitleValidator.check(format, file, PARTNER);
            assertTrue(result.valid(), format + ": " + result.errors() + "\n" + file);
            assertEquals(List.of(), result.warnings(), format.name());
            assertEquals(2, result.cues(), format + "\n" + file);
        }
    }

    @Test
    void randomTranscriptsPassInEveryFormat() {
        Random random = new Random(2024);
        int checked = 0;
        for (int run = 0; run < 200; run++) {
            Transcript transcript = Transcript.of(Finals.random(random),
                    Duration.ofMillis(random.nextInt(10_001) - 5000));
            if (transcript.isEmpty()) {
                continue;
            }
            for (OutputFormat format : OutputFormat.values()) {
                String file = new TranscriptWriter(format).write(transcript);
                SubtitleValidator.Report result = SubtitleValidator.check(format, file, PARTNER);
                int r = run;
                assertTrue(result.valid(), () -> format + " run " + r + ": " + result.errors() + "\n" + file);
                assertEquals(List.of(), result.warnings(), () -> format + " run " + r);
                assertEquals(transcript.cues().size(), result.cues(), () -> format + " run " + r);
                checked++;
            }
        }
        assertTrue(checked > 400, "too few files checked: " + checked);
    }
}
