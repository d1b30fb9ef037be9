package io.livecap.sandbox;

import io.livecap.reach.OutputFormat;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a delivered caption file the way a partner's QA would: it parses in its declared format, every cue has
 * text, and every cue lasts long enough to be read. The FAQ names an SRT block lasting 1 ms as an error; the
 * sandbox's line is {@value #MIN_CUE_MS} ms (our choice).
 */
final class CaptionFileCheck {

    static final long MIN_CUE_MS = 100;
    private static final int MAX_MESSAGES = 50;

    private static final Pattern SRT_TIMING = Pattern.compile(
            "^(\\d{2,}):(\\d{2}):(\\d{2}),(\\d{3})\\s+-->\\s+(\\d{2,}):(\\d{2}):(\\d{2}),(\\d{3})(\\s.*)?$");
    private static final Pattern VTT_TIMING = Pattern.compile(
            "^(?:(\\d{2,}):)?(\\d{2}):(\\d{2})\\.(\\d{3})\\s+-->\\s+(?:(\\d{2,}):)?(\\d{2}):(\\d{2})\\.(\\d{3})(\\s.*)?$");
    private static final Pattern CLOCK = Pattern.compile("^(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d+))?$");
    private static final Pattern OFFSET = Pattern.compile("^(\\d+(?:\\.\\d+)?)(h|m|s|ms)$");
    private static final String TTML = "http://www.w3.org/ns/ttml";

    /** The verdict: {@code valid} when there is at least one cue and no errors; warnings do not invalidate. */
    record Result(boolean valid, int cues, List<String> errors, List<String> warnings) {
    }

    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int cues;
    private long previousStart = -1;
    private long previousEnd = -1;

    private CaptionFileCheck() {
    }

    static Result check(OutputFormat format, String content) {
        CaptionFileCheck check = new CaptionFileCheck();
        if (content == null || content.isBlank()) {
            check.error("the file is empty");
        } else {
            String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
            text = text.replace("\r\n", "\n").replace('\r', '\n');
            switch (format) {
                case SRT -> check.srt(text);
                case VTT -> check.vtt(text);
                case DFXP -> check.dfxp(text);
            }
            if (check.cues == 0 && check.errors.isEmpty()) {
                check.error("no cues");
            }
        }
        return new Result(check.errors.isEmpty(), check.cues, List.copyOf(check.errors),
                List.copyOf(check.warnings));
    }

    private void srt(String text) {
        if (text.startsWith("WEBVTT")) {
            error("declared SRT but the content is WebVTT");
            return;
        }
        int expectedIndex = 1;
        for (String block : text.strip().split("\n\\s*\n")) {
            String[] lines = block.strip().split("\n");
            String label = "block " + (cues + 1);
            if (lines.length < 2) {
                error(label + ": needs an index line and a timing line, got \"" + clip(block) + "\"");
                continue;
            }
            try {
                int index = Integer.parseInt(lines[0].strip());
                if (index != expectedIndex) {
                    warn(label + ": index " + index + ", expected " + expectedIndex);
                }
                expectedIndex = index + 1;
            } catch (NumberFormatException e) {
                error(label + ": the first line must be the block number, got \"" + clip(lines[0]) + "\"");
                expectedIndex++;
            }
            Matcher timing = SRT_TIMING.matcher(lines[1].strip());
            if (!timing.matches()) {
                error(label + ": bad timing line \"" + clip(lines[1]) + "\" (want HH:MM:SS,mmm --> HH:MM:SS,mmm)");
                cues++;
                continue;
            }
            cue(label, millis(timing, 1), millis(timing, 5), textOf(lines, 2));
        }
    }

    private void vtt(String text) {
        String[] blocks = text.strip().split("\n\\s*\n");
        if (!blocks[0].startsWith("WEBVTT")) {
            error("a WebVTT file must start with WEBVTT");
            return;
        }
        for (int b = 1; b < blocks.length; b++) {
            String[] lines = blocks[b].strip().split("\n");
            if (lines[0].startsWith("NOTE") || lines[0].startsWith("STYLE") || lines[0].startsWith("REGION")) {
                continue;
            }
            int timingLine = lines[0].contains("-->") ? 0 : 1;
            String label = "cue " + (cues + 1);
            if (timingLine >= lines.length) {
                error(label + ": no timing line in \"" + clip(blocks[b]) + "\"");
                continue;
            }
            Matcher timing = VTT_TIMING.matcher(lines[timingLine].strip());
            if (!timing.matches()) {
                error(label + ": bad timing line \"" + clip(lines[timingLine]) + "\" (want [HH:]MM:SS.mmm --> ...)");
                cues++;
                continue;
            }
            cue(label, millis(timing, 1), millis(timing, 5), textOf(lines, timingLine + 1));
        }
    }

    private void dfxp(String text) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            document = builder.parse(new InputSource(new StringReader(text)));
        } catch (Exception e) {
            error("not well-formed XML: " + clip(String.valueOf(e.getMessage())));
            return;
        }
        Element root = document.getDocumentElement();
        if (!"tt".equals(root.getLocalName()) || !TTML.equals(root.getNamespaceURI())) {
            error("the root element must be <tt> in the TTML namespace " + TTML);
            return;
        }
        NodeList paragraphs = root.getElementsByTagNameNS(TTML, "p");
        for (int i = 0; i < paragraphs.getLength(); i++) {
            Element p = (Element) paragraphs.item(i);
            String label = "cue " + (cues + 1);
            Long begin = timeExpression(p.getAttribute("begin"));
            Long end = timeExpression(p.getAttribute("end"));
            if (begin == null || end == null) {
                error(label + ": needs begin and end times, got begin=\"" + p.getAttribute("begin") + "\" end=\""
                        + p.getAttribute("end") + "\"");
                cues++;
                continue;
            }
            cue(label, begin, end, p.getTextContent() == null ? "" : p.getTextContent().strip());
        }
    }

    private void cue(String label, long startMs, long endMs, String text) {
        cues++;
        if (endMs <= startMs) {
            error(label + ": ends (" + endMs + " ms) before it starts (" + startMs + " ms)");
        } else if (endMs - startMs < MIN_CUE_MS) {
            error(label + ": lasts " + (endMs - startMs) + " ms, too short to read (minimum " + MIN_CUE_MS + " ms)");
        }
        if (text.isBlank()) {
            error(label + ": has no text");
        }
        if (startMs < previousStart) {
            error(label + ": starts at " + startMs + " ms, before the previous cue (" + previousStart + " ms)");
        } else if (startMs < previousEnd) {
            warn(label + ": overlaps the previous cue by " + (previousEnd - startMs) + " ms");
        }
        previousStart = startMs;
        previousEnd = Math.max(previousEnd, endMs);
    }

    private static long millis(Matcher m, int firstGroup) {
        String hours = m.group(firstGroup);
        return (hours == null ? 0 : Long.parseLong(hours)) * 3_600_000
                + Long.parseLong(m.group(firstGroup + 1)) * 60_000
                + Long.parseLong(m.group(firstGroup + 2)) * 1000
                + Long.parseLong(m.group(firstGroup + 3));
    }

    /** TTML clock time ({@code 00:01:02.500}) or offset time ({@code 62.5s}, {@code 62500ms}); null if neither. */
    private static Long timeExpression(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher clock = CLOCK.matcher(value.strip());
        if (clock.matches()) {
            double fraction = clock.group(4) == null ? 0 : Double.parseDouble("0." + clock.group(4));
            return Long.parseLong(clock.group(1)) * 3_600_000 + Long.parseLong(clock.group(2)) * 60_000
                    + Long.parseLong(clock.group(3)) * 1000 + Math.round(fraction * 1000);
        }
        Matcher offset = OFFSET.matcher(value.strip());
        if (offset.matches()) {
            double amount = Double.parseDouble(offset.group(1));
            double unitMs = switch (offset.group(2)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1000;
                default -> 1;
            };
            return Math.round(amount * unitMs);
        }
        return null;
    }

    private static String textOf(String[] lines, int from) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < lines.length; i++) {
            text.append(lines[i].strip()).append(' ');
        }
        return text.toString().strip();
    }

    private static String clip(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    private void error(String message) {
        if (errors.size() < MAX_MESSAGES) {
            errors.add(message);
        }
    }

    private void warn(String message) {
        if (warnings.size() < MAX_MESSAGES) {
            warnings.add(message);
        }
    }
}
