package io.livecap.captions;

import io.livecap.reach.OutputFormat;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a {@link Transcript} as the text of an SRT, WebVTT or DFXP (TTML) file, to be sent as UTF-8 without a byte
 * order mark. Times come from the transcript unchanged, so the file is as valid as the transcript:
 * {@link SubtitleValidator} accepts every file this writes that has at least one cue, and a writer given
 * {@link CueRules} writes files it accepts under those reading rules too.
 */
public final class TranscriptWriter {

    private static final String TTML_NAMESPACE = "http://www.w3.org/ns/ttml";
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*");

    private final OutputFormat format;
    /** null: the finals' own blocks, only repaired ({@link Transcript#of(List, Duration)}). */
    private final CueRules rules;

    public TranscriptWriter(OutputFormat format) {
        this(format, null);
    }

    /** A writer whose cues are laid out for reading within {@code rules} ({@link Transcript#of(List, Duration, CueRules)}). */
    public TranscriptWriter(OutputFormat format, CueRules rules) {
        this.format = format;
        this.rules = rules;
    }

    public OutputFormat format() {
        return format;
    }

    /** The file for finals whose stream time 0 is the recording's time 0. */
    public String write(List<Caption> finals) {
        return write(finals, Duration.ZERO);
    }

    /** The file for finals whose stream time 0 falls at {@code offset} in the recording. */
    public String write(List<Caption> finals, Duration offset) {
        return write(rules == null ? Transcript.of(finals, offset) : Transcript.of(finals, offset, rules));
    }

    public String write(Transcript transcript) {
        return switch (format) {
            case SRT -> srt(transcript.cues());
            case VTT -> vtt(transcript.cues());
            case DFXP -> dfxp(transcript);
        };
    }

    private static String srt(List<Cue> cues) {
        StringBuilder out = new StringBuilder();
        int number = 1;
        for (Cue cue : cues) {
            out.append(number++).append('\n')
                    .append(clock(cue.startMs(), ',')).append(" --> ").append(clock(cue.endMs(), ',')).append('\n');
            for (String line : cue.lines()) {
                // SRT has no escaping; parsers that look for the arrow anywhere would take such a line for a timing
                out.append(line.replace("-->", "->")).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String vtt(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        for (Cue cue : cues) {
            out.append(clock(cue.startMs(), '.')).append(" --> ").append(clock(cue.endMs(), '.')).append('\n');
            for (String line : cue.lines()) {
                // escaping '>' also keeps "-->", which WebVTT forbids in cue text, out of it
                out.append(escape(line)).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String dfxp(Transcript transcript) {
        String language = LANGUAGE_TAG.matcher(transcript.language()).matches() ? transcript.language() : "";
        StringBuilder out = new StringBuilder()
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<tt xmlns=\"").append(TTML_NAMESPACE).append("\" xml:lang=\"").append(language).append("\">\n")
                .append("  <body>\n    <div>\n");
        for (Cue cue : transcript.cues()) {
            out.append("      <p begin=\"").append(clock(cue.startMs(), '.'))
                    .append("\" end=\"").append(clock(cue.endMs(), '.')).append("\">");
            List<String> lines = cue.lines();
            for (int i = 0; i < lines.size(); i++) {
                out.append(i > 0 ? "<br/>" : "").append(escape(lines.get(i)));
            }
            out.append("</p>\n");
        }
        return out.append("    </div>\n  </body>\n</tt>\n").toString();
    }

    /** {@code HH:MM:SS<sep>mmm}; hours grow past two digits rather than wrap. */
    static String clock(long ms, char separator) {
        StringBuilder clock = new StringBuilder(12);
        long hours = ms / 3_600_000;
        if (hours < 10) {
            clock.append('0');
        }
        clock.append(hours).append(':');
        pad(clock, ms / 60_000 % 60, 2).append(':');
        pad(clock, ms / 1000 % 60, 2).append(separator);
        return pad(clock, ms % 1000, 3).toString();
    }

    private static StringBuilder pad(StringBuilder out, long value, int digits) {
        String text = Long.toString(value);
        return out.append("0".repeat(digits - text.length())).append(text);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
