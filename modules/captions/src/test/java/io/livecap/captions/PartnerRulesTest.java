package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import org.junit.jupiter.api.Test;

import static io.livecap.captions.SubtitleValidator.Rules.PARTNER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partner-side check of delivered caption files (FAQ: subtitle files sent back must be valid). */
class PartnerRulesTest {

    @Test
    void aWellFormedSrtPasses() {
        SubtitleValidator.Report result = SubtitleValidator.check(OutputFormat.SRT,
                "1\r\n00:00:01,000 --> 00:00:02,500\r\nthe committee\r\n\r\n2\r\n00:00:02,600 --> 00:01:00,000\r\nwill meet\r\n", PARTNER);
        assertTrue(result.valid(), result.errors().toString());
        assertEquals(2, result.cues());
    }

    @Test
    void anSrtBlockLastingOneMillisecondIsAnError() {
        SubtitleValidator.Report result = SubtitleValidator.check(OutputFormat.SRT,
                "1\n00:00:01,000 --> 00:00:01,001\nblink\n", PARTNER);
        assertFalse(result.valid());
        assertTrue(result.errors().get(0).contains("lasts 1 ms"), result.errors().toString());
    }

    @Test
    void srtMistakesAreNamed() {
        SubtitleValidator.Report result = SubtitleValidator.check(OutputFormat.SRT,
                "1\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n2\n00:00:01.000 --> 00:00:02.000\ndots\n\n"
                        + "3\n00:00:06,000 --> 00:00:07,000\n\n", PARTNER);
        assertFalse(result.valid());
        assertEquals(3, result.errors().size(), result.errors().toString());
        String errors = result.errors().toString(); // structure is checked before times, so in that order
        assertTrue(result.errors().get(0).contains("block 2: bad timing line"), errors);
        assertTrue(result.errors().get(1).contains("cue 1") && errors.contains("does not end after it starts"), errors);
        assertTrue(result.errors().get(2).contains("cue 3") && result.errors().get(2).contains("no text"), errors);
    }

    @Test
    void overlapsAreWarningsNotErrors() {
        SubtitleValidator.Report result = SubtitleValidator.check(OutputFormat.SRT,
                "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n", PARTNER);
        assertTrue(result.valid());
        assertTrue(result.warnings().get(0).contains("overlaps"));
    }

    @Test
    void webVttNeedsItsHeaderAndDotTimes() {
        assertTrue(SubtitleValidator.check(OutputFormat.VTT,
                "WEBVTT\n\nNOTE made by livecap\n\n1\n00:01.000 --> 00:02.500\nhello\n\n00:00:03.000 --> 00:00:04.000 line:90%\nagain\n", PARTNER)
                .valid());
        assertFalse(SubtitleValidator.check(OutputFormat.VTT, "1\n00:01.000 --> 00:02.500\nhello\n", PARTNER).valid());
        assertFalse(SubtitleValidator.check(OutputFormat.SRT, "WEBVTT\n\n00:01.000 --> 00:02.500\nhello\n", PARTNER).valid(),
                "declared SRT, sent VTT");
    }

    @Test
    void dfxpIsTtmlWithTimedParagraphs() {
        String ttml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tt xmlns=\"http://www.w3.org/ns/ttml\" xml:lang=\"en\">"
                + "<body><div><p begin=\"00:00:01.000\" end=\"00:00:02.500\">hello</p>"
                + "<p begin=\"3s\" end=\"4500ms\">again</p></div></body></tt>";
        SubtitleValidator.Report result = SubtitleValidator.check(OutputFormat.DFXP, ttml, PARTNER);
        assertTrue(result.valid(), result.errors().toString());
        assertEquals(2, result.cues());
        assertFalse(SubtitleValidator.check(OutputFormat.DFXP, "<tt><p>no namespace</p></tt>", PARTNER).valid());
        assertFalse(SubtitleValidator.check(OutputFormat.DFXP, "<tt xmlns=\"http://www.w3.org/ns/ttml\"><p begin=\"1s\">x", PARTNER)
                .valid(), "not well-formed");
    }

    @Test
    void anEmptyFileIsInvalid() {
        assertFalse(SubtitleValidator.check(OutputFormat.SRT, "  \n", PARTNER).valid());
    }
}
