package io.livecap.sandbox;

import io.livecap.reach.OutputFormat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partner-side check of delivered caption files (FAQ: subtitle files sent back must be valid). */
class CaptionFileCheckTest {

    @Test
    void aWellFormedSrtPasses() {
        CaptionFileCheck.Result result = CaptionFileCheck.check(OutputFormat.SRT,
                "1\r\n00:00:01,000 --> 00:00:02,500\r\nthe committee\r\n\r\n2\r\n00:00:02,600 --> 00:01:00,000\r\nwill meet\r\n");
        assertTrue(result.valid(), result.errors().toString());
        assertEquals(2, result.cues());
    }

    @Test
    void anSrtBlockLastingOneMillisecondIsAnError() {
        CaptionFileCheck.Result result = CaptionFileCheck.check(OutputFormat.SRT,
                "1\n00:00:01,000 --> 00:00:01,001\nblink\n");
        assertFalse(result.valid());
        assertTrue(result.errors().get(0).contains("lasts 1 ms"), result.errors().toString());
    }

    @Test
    void srtMistakesAreNamed() {
        CaptionFileCheck.Result result = CaptionFileCheck.check(OutputFormat.SRT,
                "1\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n2\n00:00:01.000 --> 00:00:02.000\ndots\n\n"
                        + "3\n00:00:06,000 --> 00:00:07,000\n\n");
        assertFalse(result.valid());
        assertEquals(3, result.errors().size(), result.errors().toString());
        assertTrue(result.errors().get(0).contains("before it starts"));
        assertTrue(result.errors().get(1).contains("bad timing line"));
        assertTrue(result.errors().get(2).contains("needs an index line and a timing line")
                || result.errors().get(2).contains("no text"), result.errors().toString());
    }

    @Test
    void overlapsAreWarningsNotErrors() {
        CaptionFileCheck.Result result = CaptionFileCheck.check(OutputFormat.SRT,
                "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n");
        assertTrue(result.valid());
        assertTrue(result.warnings().get(0).contains("overlaps"));
    }

    @Test
    void webVttNeedsItsHeaderAndDotTimes() {
        assertTrue(CaptionFileCheck.check(OutputFormat.VTT,
                "WEBVTT\n\nNOTE made by livecap\n\n1\n00:01.000 --> 00:02.500\nhello\n\n00:00:03.000 --> 00:00:04.000 line:90%\nagain\n")
                .valid());
        assertFalse(CaptionFileCheck.check(OutputFormat.VTT, "1\n00:01.000 --> 00:02.500\nhello\n").valid());
        assertFalse(CaptionFileCheck.check(OutputFormat.SRT, "WEBVTT\n\n00:01.000 --> 00:02.500\nhello\n").valid(),
                "declared SRT, sent VTT");
    }

    @Test
    void dfxpIsTtmlWithTimedParagraphs() {
        String ttml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tt xmlns=\"http://www.w3.org/ns/ttml\" xml:lang=\"en\">"
                + "<body><div><p begin=\"00:00:01.000\" end=\"00:00:02.500\">hello</p>"
                + "<p begin=\"3s\" end=\"4500ms\">again</p></div></body></tt>";
        CaptionFileCheck.Result result = CaptionFileCheck.check(OutputFormat.DFXP, ttml);
        assertTrue(result.valid(), result.errors().toString());
        assertEquals(2, result.cues());
        assertFalse(CaptionFileCheck.check(OutputFormat.DFXP, "<tt><p>no namespace</p></tt>").valid());
        assertFalse(CaptionFileCheck.check(OutputFormat.DFXP, "<tt xmlns=\"http://www.w3.org/ns/ttml\"><p begin=\"1s\">x")
                .valid(), "not well-formed");
    }

    @Test
    void anEmptyFileIsInvalid() {
        assertFalse(CaptionFileCheck.check(OutputFormat.SRT, "  \n").valid());
    }
}
