package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the text of an SRT, WebVTT or DFXP file from the text alone: the structure parses, every cue has text, ends
 * after it starts and lasts long enough, starts do not go back, cues do not overlap, and there is at least one cue.
 * Each problem names its cue (numbered from 1 in file order) and times.
 *
 * <p>Two rule sets, one parser: {@link Rules#LIVECAP} is what livecap promises of every asset it delivers (every
 * problem is an error); {@link Rules#PARTNER} is what a partner would refuse (the REACH sandbox judges deliveries with
 * it): overlaps, numbering slips, markup and missing language are warnings there, and a cue must last 100 ms.
 */
public final class SubtitleValidator {

    /** Whose rules: livecap's own for what it delivers, or the receiving partner's. */
    public enum Rules { LIVECAP, PARTNER }

    /** The verdict: valid when there is no error; warnings do not invalidate. */
    public record Report(int cues, List<String> errors, List<String> warnings) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Shorter than this, a cue cannot be read at all: a partner refuses it (an SRT block of 1 ms is the FAQ's case). */
    static final long PARTNER_MIN_CUE_MS = 100;
    private static final int MAX_MESSAGES = 50;

    private static final String TTML_NAMESPACE = "http://www.w3.org/ns/ttml";
    private static final String SRT_TIME = "(\\d{2,}):([0-5]\\d):([0-5]\\d),(\\d{3})";
    private static final Pattern SRT_TIMING =
            Pattern.compile("^" + SRT_TIME + "[ \\t]+-->[ \\t]+" + SRT_TIME + "(?:[ \\t].*)?$");
    private static final String VTT_TIME = "(?:(\\d{2,}):)?([0-5]\\d):([0-5]\\d)\\.(\\d{3})";
    private static final Pattern VTT_TIMING =
            Pattern.compile("^" + VTT_TIME + "[ \\t]+-->[ \\t]+" + VTT_TIME + "(?:[ \\t].*)?$");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern VTT_HEADER = Pattern.compile("^WEBVTT([ \\t].*)?$");
    private static final Pattern VTT_SPECIAL_BLOCK = Pattern.compile("^(NOTE|STYLE|REGION)([ \\t].*)?$");
    /** In WebVTT cue text '&' only starts a character reference and '<' only a tag. */
    private static final Pattern VTT_BARE_MARKUP =
            Pattern.compile("&(?!(#\\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)|<(?![^<>]*>)");
    private static final Pattern TTML_CLOCK = Pattern.compile("^(\\d{2,}):([0-5]\\d):([0-5]\\d)(\\.\\d+)?$");
    private static final Pattern TTML_OFFSET = Pattern.compile("^(\\d+(?:\\.\\d+)?)(h|m|s|ms)$");

    private record ParsedCue(int number, long startMs, long endMs, String text, List<String> lines) {
    }

    private final OutputFormat format;
    private final Rules rules;
    /** The reading rules too, or null for structure and times alone. */
    private final CueRules reading;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<ParsedCue> cues = new ArrayList<>();

    private SubtitleValidator(OutputFormat format, Rules rules, CueRules reading) {
        this.format = format;
        this.rules = rules;
        this.reading = reading;
    }

    /** {@code text} read as {@code format} under {@code rules}. */
    public static Report check(OutputFormat format, String text, Rules rules) {
        return check(format, text, rules, null);
    }

    /**
     * {@code text} read as {@code format} under {@code rules} and the reading rules: every cue has at most
     * {@code maxLines} lines of at most {@code maxCharsPerLine} characters, is shown at least {@code minMs} and at
     * most {@code maxMs}, and at no more than {@code maxCps} characters per second (its lines joined by a space).
     * No exception is allowed: where a cue's words were said too fast for its text, livecap's builder has already
     * given the cue more time ({@link CueBuilder}). Under {@link Rules#PARTNER} these are warnings, not errors.
     */
    public static Report check(OutputFormat format, String text, Rules rules, CueRules reading) {
        SubtitleValidator validator = new SubtitleValidator(format, rules, reading);
        validator.check(text == null ? "" : text);
        return new Report(validator.cues.size(), List.copyOf(validator.errors), List.copyOf(validator.warnings));
    }

    /** The problems of {@code text} read as {@code format} under livecap's rules; empty when the file is valid. */
    public static List<String> problems(OutputFormat format, String text) {
        return check(format, text, Rules.LIVECAP).errors();
    }

    public static boolean isValid(OutputFormat format, String text) {
        return problems(format, text).isEmpty();
    }

    /** The problems of {@code text} under livecap's rules and the reading rules; empty when the file is valid. */
    public static List<String> problems(OutputFormat format, String text, CueRules reading) {
        return check(format, text, Rules.LIVECAP, reading).errors();
    }

    /** A problem every partner refuses. */
    private void refused(String message) {
        add(errors, message);
    }

    /** A problem livecap never delivers, but a partner takes with a warning. */
    private void livecapRefuses(String message) {
        add(rules == Rules.LIVECAP ? errors : warnings, message);
    }

    private static void add(List<String> list, String message) {
        if (list.size() < MAX_MESSAGES) {
            list.add(message);
        }
    }

    private void check(String text) {
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        content = content.replace("\r\n", "\n").replace('\r', '\n');
        switch (format) {
            case SRT -> srt(content);
            case VTT -> vtt(content);
            case DFXP -> dfxp(content);
        }
        checkTimes();
        if (cues.isEmpty() && errors.isEmpty()) {
            refused("no cues");
        }
    }

    private void srt(String text) {
        int number = 0;
        for (List<String> block : blocks(text)) {
            number++;
            String first = block.get(0).strip();
            if (!NUMBER.matcher(first).matches()) {
                refused("block " + number + ": the first line must be its number, got \"" + clip(first) + "\"");
                continue;
            }
            if (!first.equals(String.valueOf(number))) {
                livecapRefuses("block " + number + ": numbered " + first + ", expected " + number);
            }
            if (block.size() < 2) {
                refused("block " + number + ": no timing line");
                continue;
            }
            Matcher timing = SRT_TIMING.matcher(block.get(1).strip());
            if (!timing.matches()) {
                refused("block " + number + ": bad timing line \"" + clip(block.get(1))
                        + "\" (want HH:MM:SS,mmm --> HH:MM:SS,mmm)");
                continue;
            }
            List<String> lines = block.subList(2, block.size());
            cues.add(new ParsedCue(number, millis(timing, 1), millis(timing, 5), join(lines), List.copyOf(lines)));
        }
    }

    private void vtt(String text) {
        List<List<String>> blocks = blocks(text);
        if (!VTT_HEADER.matcher(text.split("\n", 2)[0]).matches()) {
            refused("the file must start with a WEBVTT line");
            return;
        }
        for (String headerLine : blocks.get(0)) {
            if (headerLine.contains("-->")) {
                refused("the header must be followed by a blank line before the first cue");
                return;
            }
        }
        int number = 0;
        for (List<String> block : blocks.subList(1, blocks.size())) {
            if (VTT_SPECIAL_BLOCK.matcher(block.get(0)).matches()) {
                continue;
            }
            number++;
            int timingLine = block.get(0).contains("-->") ? 0 : 1;
            if (timingLine >= block.size()) {
                refused("cue " + number + ": no timing line after \"" + clip(block.get(0)) + "\"");
                continue;
            }
            Matcher timing = VTT_TIMING.matcher(block.get(timingLine));
            if (!timing.matches()) {
                refused("cue " + number + ": bad timing line \"" + clip(block.get(timingLine))
                        + "\" (want [HH:]MM:SS.mmm --> [HH:]MM:SS.mmm)");
                continue;
            }
            List<String> lines = block.subList(timingLine + 1, block.size());
            for (String line : lines) {
                if (line.contains("-->")) {
                    livecapRefuses("cue " + number + ": text contains \"-->\": \"" + clip(line) + "\"");
                } else if (VTT_BARE_MARKUP.matcher(line).find()) {
                    livecapRefuses("cue " + number + ": unescaped '&' or '<' in \"" + clip(line) + "\"");
                }
            }
            cues.add(new ParsedCue(number, millis(timing, 1), millis(timing, 5), join(lines),
                    lines.stream().map(SubtitleValidator::unescape).toList()));
        }
    }

    private void dfxp(String text) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // a subtitle file has no business with a DOCTYPE; refusing it also rules out entity expansion attacks
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            document = builder.parse(new InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            refused("not well-formed XML at line " + e.getLineNumber() + ", column " + e.getColumnNumber()
                    + ": " + e.getMessage());
            return;
        } catch (Exception e) {
            refused("not well-formed XML: " + e.getMessage());
            return;
        }
        Element root = document.getDocumentElement();
        if (!"tt".equals(root.getLocalName()) || !TTML_NAMESPACE.equals(root.getNamespaceURI())) {
            refused("the root element must be <tt> in the TTML namespace " + TTML_NAMESPACE + ", got <"
                    + root.getNodeName() + "> in " + root.getNamespaceURI());
            return;
        }
        if (!root.hasAttributeNS(XMLConstants.XML_NS_URI, "lang")) {
            livecapRefuses("<tt> must carry xml:lang");
        }
        NodeList paragraphs = root.getElementsByTagNameNS(TTML_NAMESPACE, "p");
        for (int i = 0; i < paragraphs.getLength(); i++) {
            Element p = (Element) paragraphs.item(i);
            int number = i + 1;
            Long beginMs = time(p.getAttribute("begin"));
            Long endMs = p.hasAttribute("end") ? time(p.getAttribute("end")) : null;
            Long durMs = p.hasAttribute("dur") ? time(p.getAttribute("dur")) : null;
            if (beginMs == null || (endMs == null && durMs == null)) {
                refused("cue " + number + ": needs a begin and an end (or dur) time, got begin=\""
                        + p.getAttribute("begin") + "\" end=\"" + p.getAttribute("end") + "\"");
                continue;
            }
            // TTML times are relative to the enclosing timed elements (the default parallel time container)
            long parentMs = 0;
            for (Node up = p.getParentNode(); up instanceof Element e; up = e.getParentNode()) {
                Long parentBeginMs = time(e.getAttribute("begin"));
                parentMs += parentBeginMs == null ? 0 : parentBeginMs;
            }
            long startMs = parentMs + beginMs;
            cues.add(new ParsedCue(number, startMs, endMs != null ? parentMs + endMs : startMs + durMs,
                    p.getTextContent().strip(), dfxpLines(p)));
        }
    }

    private void checkTimes() {
        long previousStartMs = -1;
        long previousEndMs = -1;
        for (ParsedCue cue : cues) {
            if (cue.endMs() <= cue.startMs()) {
                refused(label(cue) + ": does not end after it starts");
            } else if (rules == Rules.PARTNER && cue.endMs() - cue.startMs() < PARTNER_MIN_CUE_MS) {
                refused(label(cue) + ": lasts " + (cue.endMs() - cue.startMs()) + " ms, too short to read (minimum "
                        + PARTNER_MIN_CUE_MS + " ms)");
            } else if (cue.endMs() - cue.startMs() < Cue.MIN_DURATION_MS) {
                livecapRefuses(label(cue) + ": lasts " + (cue.endMs() - cue.startMs()) + " ms, shorter than "
                        + Cue.MIN_DURATION_MS + " ms");
            }
            if (cue.startMs() < previousStartMs) {
                refused(label(cue) + ": starts before the previous cue, which starts at " + clock(previousStartMs));
            } else if (cue.startMs() < previousEndMs) {
                livecapRefuses(label(cue) + ": overlaps the cue before it, which ends at " + clock(previousEndMs));
            }
            if (cue.text().isBlank()) {
                refused(label(cue) + ": has no text");
            } else if (reading != null) {
                checkReading(cue);
            }
            previousStartMs = cue.startMs();
            previousEndMs = Math.max(previousEndMs, cue.endMs());
        }
    }

    private void checkReading(ParsedCue cue) {
        long durationMs = cue.endMs() - cue.startMs();
        if (cue.lines().size() > reading.maxLines()) {
            livecapRefuses(label(cue) + ": " + cue.lines().size() + " lines, more than " + reading.maxLines());
        }
        for (String line : cue.lines()) {
            if (line.length() > reading.maxCharsPerLine()) {
                livecapRefuses(label(cue) + ": a line of " + line.length() + " characters, more than "
                        + reading.maxCharsPerLine() + ": \"" + clip(line) + "\"");
            }
        }
        if (durationMs > 0 && durationMs < reading.minMs()) {
            livecapRefuses(label(cue) + ": on screen " + durationMs + " ms, less than " + reading.minMs() + " ms");
        }
        if (durationMs > reading.maxMs()) {
            livecapRefuses(label(cue) + ": on screen " + durationMs + " ms, more than " + reading.maxMs() + " ms");
        }
        int chars = String.join(" ", cue.lines()).length();
        if (durationMs > 0 && !reading.readable(chars, durationMs)) {
            livecapRefuses(label(cue) + String.format(java.util.Locale.ROOT,
                    ": %d characters in %d ms is %.1f characters per second, more than %s", chars, durationMs,
                    chars * 1000.0 / durationMs, reading.maxCps()));
        }
    }

    /** The lines of a TTML paragraph: its text, broken at each {@code <br/>}. */
    private static List<String> dfxpLines(Element p) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        collectLines(p, line, lines);
        lines.add(line.toString());
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static void collectLines(Node node, StringBuilder line, List<String> lines) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                line.append(child.getNodeValue());
            } else if (child instanceof Element e && "br".equals(e.getLocalName())) {
                lines.add(line.toString());
                line.setLength(0);
            } else {
                collectLines(child, line, lines);
            }
        }
    }

    /** WebVTT cue text as shown: the character references livecap writes read as their characters. */
    private static String unescape(String line) {
        return line.strip().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Runs of non-blank lines. */
    private static List<List<String>> blocks(String text) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    blocks.add(block);
                    block = new ArrayList<>();
                }
            } else {
                block.add(line);
            }
        }
        if (!block.isEmpty()) {
            blocks.add(block);
        }
        return blocks;
    }

    private static long millis(Matcher m, int firstGroup) {
        String hours = m.group(firstGroup);
        return (hours == null ? 0 : Long.parseLong(hours)) * 3_600_000
                + Long.parseLong(m.group(firstGroup + 1)) * 60_000
                + Long.parseLong(m.group(firstGroup + 2)) * 1000
                + Long.parseLong(m.group(firstGroup + 3));
    }

    /** A TTML clock time ({@code 00:01:02.345}) or offset time ({@code 62.345s}, {@code 62345ms}); null if neither. */
    private static Long time(String value) {
        String v = value.strip();
        Matcher clock = TTML_CLOCK.matcher(v);
        if (clock.matches()) {
            double fraction = clock.group(4) == null ? 0 : Double.parseDouble("0" + clock.group(4));
            return Long.parseLong(clock.group(1)) * 3_600_000 + Long.parseLong(clock.group(2)) * 60_000
                    + Long.parseLong(clock.group(3)) * 1000 + Math.round(fraction * 1000);
        }
        Matcher offset = TTML_OFFSET.matcher(v);
        if (offset.matches()) {
            long unitMs = switch (offset.group(2)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1000;
                default -> 1;
            };
            return Math.round(Double.parseDouble(offset.group(1)) * unitMs);
        }
        return null;
    }

    private String label(ParsedCue cue) {
        return "cue " + cue.number() + " (" + clock(cue.startMs()) + " --> " + clock(cue.endMs()) + ")";
    }

    private String clock(long ms) {
        return TranscriptWriter.clock(ms, format == OutputFormat.SRT ? ',' : '.');
    }

    private static String join(List<String> lines) {
        return String.join(" ", lines.stream().map(String::strip).toList()).strip();
    }

    private static String clip(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
