package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.livecap.reach.OutputFormat.DFXP;
import static io.livecap.reach.OutputFormat.SRT;
import static io.livecap.reach.OutputFormat.VTT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubtitleValidatorTest {

    private static final String TTML_OPEN = "<tt xmlns=\"http://www.w3.org/ns/ttml\" xml:lang=\"en\"><body><div>";
    private static final String TTML_CLOSE = "</div></body></tt>";

    private static void assertOneProblem(String expectedPart, OutputFormat format, String text) {
        List<String> problems = SubtitleValidator.problems(format, text);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(expectedPart), problems.toString());
    }

    @Test
    void srtBlockOf1msIsInvalid() {
        assertOneProblem("cue 1 (00:00:01,000 --> 00:00:01,001): lasts 1 ms, shorter than 200 ms", SRT,
                "1\n00:00:01,000 --> 00:00:01,001\nblink\n");
    }

    @Test
    void srtBlockOf199msIsInvalidAnd200msIsValid() {
        assertOneProblem("lasts 199 ms", SRT, "1\n00:00:01,000 --> 00:00:01,199\nblink\n");
        assertEquals(List.of(), SubtitleValidator.problems(SRT, "1\n00:00:01,000 --> 00:00:01,200\nblink\n"));
    }

    @Test
    void aWellFormedSrtWithCrlfIsValid() {
        assertTrue(SubtitleValidator.isValid(SRT,
                "\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nthe committee\r\n\r\n"
                        + "2\r\n00:00:02,500 --> 00:01:00,000\r\nwill meet\r\non tuesday\r\n"));
    }

    @Test
    void srtCueEndingBeforeItStartsIsInvalid() {
        assertOneProblem("cue 1 (00:00:05,000 --> 00:00:04,000): does not end after it starts", SRT,
                "1\n00:00:05,000 --> 00:00:04,000\nbackwards\n");
        assertOneProblem("does not end after it starts", SRT, "1\n00:00:05,000 --> 00:00:05,000\nnothing\n");
    }

    @Test
    void srtOverlappingCuesAreInvalid() {
        assertOneProblem(
                "cue 2 (00:00:01,500 --> 00:00:03,000): overlaps the cue before it, which ends at 00:00:02,000", SRT,
                "1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:01,500 --> 00:00:03,000\ntwo\n");
    }

    @Test
    void srtStartsGoingBackAreInvalid() {
        assertOneProblem("cue 2 (00:00:01,000 --> 00:00:01,500): starts before the previous cue, which starts at "
                + "00:00:05,000", SRT,
                "1\n00:00:05,000 --> 00:00:06,000\none\n\n2\n00:00:01,000 --> 00:00:01,500\ntwo\n");
    }

    @Test
    void srtNumberingStartsAtOneAndCounts() {
        assertOneProblem("block 1: numbered 0, expected 1", SRT, "0\n00:00:01,000 --> 00:00:02,000\none\n");
        assertOneProblem("block 2: numbered 3, expected 2", SRT,
                "1\n00:00:01,000 --> 00:00:02,000\none\n\n3\n00:00:03,000 --> 00:00:04,000\ntwo\n");
        assertOneProblem("block 1: the first line must be its number", SRT, "00:00:01,000 --> 00:00:02,000\none\n");
    }

    @Test
    void srtWithVttTimesOrTextlessBlocksIsInvalid() {
        assertOneProblem("bad timing line", SRT, "1\n00:00:01.000 --> 00:00:02.000\ndots\n");
        assertOneProblem("bad timing line", SRT, "1\n00:00:01,000 --> 00:00:60,000\nsixty seconds\n");
        assertOneProblem("cue 1 (00:00:01,000 --> 00:00:02,000): has no text", SRT,
                "1\n00:00:01,000 --> 00:00:02,000\n");
        assertOneProblem("no timing line", SRT, "1\n");
    }

    @Test
    void anEmptyFileHasNoCues() {
        for (OutputFormat format : OutputFormat.values()) {
            assertTrue(SubtitleValidator.problems(format, "").size() == 1, format.name());
        }
        assertEquals(List.of("no cues"), SubtitleValidator.problems(SRT, " \n"));
        assertEquals(List.of("no cues"), SubtitleValidator.problems(VTT, "WEBVTT\n"));
        assertEquals(List.of("no cues"), SubtitleValidator.problems(DFXP, TTML_OPEN + TTML_CLOSE));
    }

    @Test
    void vttNeedsItsHeader() {
        assertOneProblem("must start with a WEBVTT line", VTT, "00:00:01.000 --> 00:00:02.000\nhi\n");
        assertOneProblem("must start with a WEBVTT line", VTT, "WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nhi\n");
        assertOneProblem("must start with a WEBVTT line", VTT, "\nWEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n");
        assertOneProblem("followed by a blank line", VTT, "WEBVTT\n00:00:01.000 --> 00:00:02.000\nhi\n");
    }

    @Test
    void vttAcceptsShortTimesIdentifiersSettingsAndNotes() {
        assertEquals(List.of(), SubtitleValidator.problems(VTT, """
                WEBVTT - livecap

                NOTE made by a person

                intro
                00:01.000 --> 00:02.500 line:0 align:start
                <v Speaker>hello &amp; <i>welcome</i>

                00:00:02.500 --> 00:00:04.000
                again
                """));
    }

    @Test
    void vttTextWithAnArrowOrBareMarkupIsInvalid() {
        assertOneProblem("text contains \"-->\"", VTT, "WEBVTT\n\n00:01.000 --> 00:02.000\na\nb --> c\n");
        assertOneProblem("unescaped '&' or '<'", VTT, "WEBVTT\n\n00:01.000 --> 00:02.000\nR&D\n");
        assertOneProblem("unescaped '&' or '<'", VTT, "WEBVTT\n\n00:01.000 --> 00:02.000\na < b\n");
    }

    @Test
    void vttShortAndOverlappingCuesAreInvalid() {
        List<String> problems = SubtitleValidator.problems(VTT,
                "WEBVTT\n\n00:01.000 --> 00:01.001\nblink\n\n00:00.500 --> 00:03.000\nback\n\n"
                        + "00:02.000 --> 00:04.000\noverlap\n");
        assertEquals(3, problems.size(), problems.toString());
        String all = problems.toString();
        assertTrue(problems.get(0).startsWith("cue 1 (00:00:01.000 --> 00:00:01.001): lasts 1 ms"), all);
        assertTrue(problems.get(1).startsWith("cue 2 (00:00:00.500 --> 00:00:03.000): starts before"), all);
        assertTrue(problems.get(2).startsWith("cue 3 (00:00:02.000 --> 00:00:04.000): overlaps"), all);
    }

    @Test
    void dfxpMustBeWellFormedTtml() {
        assertOneProblem("not well-formed XML at line 1", DFXP,
                TTML_OPEN + "<p begin=\"1s\" end=\"2s\">R&D</p>" + TTML_CLOSE);
        assertOneProblem("not well-formed XML", DFXP, TTML_OPEN + "<p begin=\"1s\" end=\"2s\">open");
        assertOneProblem("TTML namespace", DFXP,
                "<tt xml:lang=\"en\"><body><p begin=\"1s\" end=\"2s\">x</p></body></tt>");
        assertOneProblem("xml:lang", DFXP,
                "<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><p begin=\"1s\" end=\"2s\">x</p></body></tt>");
        assertOneProblem("not well-formed XML", DFXP,
                "<!DOCTYPE tt [<!ENTITY x \"y\">]>" + TTML_OPEN + "<p begin=\"1s\" end=\"2s\">&x;</p>" + TTML_CLOSE);
    }

    @Test
    void dfxpAcceptsClockOffsetAndDurTimesRelativeToTheirContainer() {
        assertEquals(List.of(), SubtitleValidator.problems(DFXP, TTML_OPEN
                + "<p begin=\"00:00:01.000\" end=\"00:00:02.5\">one</p>"
                + "<p begin=\"2.5s\" dur=\"500ms\">two<br/>lines</p>"
                + "</div><div begin=\"10s\"><p begin=\"0s\" end=\"1s\">three</p>" + TTML_CLOSE));
        assertOneProblem("cue 2 (00:00:10.000 --> 00:00:11.000): starts before", DFXP, TTML_OPEN
                + "<p begin=\"20s\" end=\"21s\">one</p>"
                + "</div><div begin=\"10s\"><p begin=\"0s\" end=\"1s\">two</p>" + TTML_CLOSE);
    }

    @Test
    void dfxpCuesNeedTimesTextAndTheMinimumLength() {
        assertOneProblem("cue 1: needs a begin and an end", DFXP, TTML_OPEN + "<p begin=\"1s\">x</p>" + TTML_CLOSE);
        assertOneProblem("cue 1: needs a begin and an end", DFXP,
                TTML_OPEN + "<p begin=\"1\" end=\"2\">x</p>" + TTML_CLOSE);
        assertOneProblem("lasts 1 ms", DFXP, TTML_OPEN + "<p begin=\"1s\" end=\"1001ms\">x</p>" + TTML_CLOSE);
        assertOneProblem("has no text", DFXP, TTML_OPEN + "<p begin=\"1s\" end=\"2s\"> <br/> </p>" + TTML_CLOSE);
    }
}
