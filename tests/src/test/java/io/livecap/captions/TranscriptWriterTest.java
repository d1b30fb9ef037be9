package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.livecap.captions.Finals.fin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptWriterTest {

    private static final List<Caption> FINALS = List.of(
            fin(1, 1230, 3000, "the committee will meet", "on tuesday"),
            fin(2, 3000, 3001, "R&D <budget>"));

    @Test
    void reachOutputFormatCodesAreSrtDfxpVtt() {
        assertEquals(OutputFormat.SRT, OutputFormat.of(1));
        assertEquals(OutputFormat.DFXP, OutputFormat.of(2));
        assertEquals(OutputFormat.VTT, OutputFormat.of(3));
        assertThrows(IllegalArgumentException.class, () -> OutputFormat.of(4));
    }

    @Test
    void srtIsNumberedFromOneWithCommaTimes() {
        assertEquals("""
                1
                00:00:01,230 --> 00:00:03,000
                the committee will meet
                on tuesday

                2
                00:00:03,000 --> 00:00:03,200
                R&D <budget>

                """, new TranscriptWriter(OutputFormat.SRT).write(FINALS));
    }

    @Test
    void vttHasItsHeaderDotTimesAndEscapedMarkup() {
        assertEquals("""
                WEBVTT

                00:00:01.230 --> 00:00:03.000
                the committee will meet
                on tuesday

                00:00:03.000 --> 00:00:03.200
                R&amp;D &lt;budget&gt;

                """, new TranscriptWriter(OutputFormat.VTT).write(FINALS));
    }

    @Test
    void dfxpIsATtmlDocumentWithLanguageClockTimesAndEscapedText() throws Exception {
        String dfxp = new TranscriptWriter(OutputFormat.DFXP).write(FINALS);
        assertTrue(dfxp.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), dfxp);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(dfxp)));
        Element tt = document.getDocumentElement();
        assertEquals("http://www.w3.org/ns/ttml", tt.getNamespaceURI());
        assertEquals("tt", tt.getLocalName());
        assertEquals("en-US", tt.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"));
        NodeList ps = tt.getElementsByTagNameNS("http://www.w3.org/ns/ttml", "p");
        assertEquals(2, ps.getLength());
        Element first = (Element) ps.item(0);
        assertEquals("00:00:01.230", first.getAttribute("begin"));
        assertEquals("00:00:03.000", first.getAttribute("end"));
        assertEquals(1, first.getElementsByTagNameNS("http://www.w3.org/ns/ttml", "br").getLength());
        assertEquals("the committee will meeton tuesday", first.getTextContent());
        assertEquals("R&D <budget>", ps.item(1).getTextContent());
    }

    @Test
    void vttTextNeverCarriesTheArrowAndSrtTextNeverLooksLikeATiming() {
        List<Caption> finals = List.of(fin(1, 0, 1000, "a --> b"));
        assertFalse(new TranscriptWriter(OutputFormat.VTT).write(finals).contains("a -->"));
        assertEquals("""
                1
                00:00:00,000 --> 00:00:01,000
                a -> b

                """, new TranscriptWriter(OutputFormat.SRT).write(finals));
    }

    @Test
    void nonAsciiTextSurvivesUtf8() {
        List<Caption> finals = List.of(fin(1, 0, 1000, "café 日本語 👍"));
        for (OutputFormat format : OutputFormat.values()) {
            byte[] bytes = new TranscriptWriter(format).write(finals).getBytes(StandardCharsets.UTF_8);
            assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("café 日本語 👍"), format.name());
        }
    }

    @Test
    void timesPastHundredHoursKeepGrowing() {
        String srt = new TranscriptWriter(OutputFormat.SRT)
                .write(List.of(fin(1, 0, 1000, "late")), Duration.ofHours(100).plusMillis(61_001));
        assertTrue(srt.contains("100:01:01,001 --> 100:01:02,001"), srt);
        assertTrue(SubtitleValidator.problems(OutputFormat.SRT, srt).isEmpty());
    }

    @Test
    void anInvalidLanguageTagBecomesUndetermined() {
        Caption odd = new Caption("ev42", 1, true, 1, "hi", List.of("hi"), 0, 1000, 0, 0, List.of(), "en\" x=\"1");
        String dfxp = new TranscriptWriter(OutputFormat.DFXP).write(List.of(odd));
        assertTrue(dfxp.contains("xml:lang=\"\""), dfxp);
        assertTrue(SubtitleValidator.problems(OutputFormat.DFXP, dfxp).isEmpty());
    }

    @Test
    void writerOutputAlwaysValidates() {
        Random random = new Random(42);
        int files = 0;
        int needingRepair = 0;
        for (int run = 0; run < 500; run++) {
            List<Caption> finals = Finals.random(random);
            needingRepair += needsRepair(finals) ? 1 : 0;
            Duration offset = Duration.ofMillis(random.nextInt(10_001) - 5000);
            Transcript transcript = Transcript.of(finals, offset);
            for (OutputFormat format : OutputFormat.values()) {
                String text = new TranscriptWriter(format).write(transcript);
                List<String> problems = SubtitleValidator.problems(format, text);
                int r = run;
                if (transcript.isEmpty()) {
                    assertEquals(List.of("no cues"), problems, () -> format + " run " + r);
                } else {
                    assertEquals(List.of(), problems, () -> format + " run " + r + ":\n" + text);
                    files++;
                }
            }
        }
        assertTrue(files > 1000, "too few non-empty files to mean anything: " + files);
        assertTrue(needingRepair > 250, "too few inputs that written as-is would be invalid: " + needingRepair);
    }

    /** Whether the finals, written one cue each with their own times, would break a rule. */
    private static boolean needsRepair(List<Caption> finals) {
        long previousStartMs = -1;
        long previousEndMs = -1;
        Set<Long> seqs = new HashSet<>();
        for (Caption fin : finals) {
            if (!seqs.add(fin.seq()) || fin.endMs() - fin.startMs() < Cue.MIN_DURATION_MS
                    || fin.startMs() < previousStartMs || fin.startMs() < previousEndMs) {
                return true;
            }
            previousStartMs = fin.startMs();
            previousEndMs = fin.endMs();
        }
        return false;
    }
}
