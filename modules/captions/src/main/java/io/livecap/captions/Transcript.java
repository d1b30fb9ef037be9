package io.livecap.captions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The cues of a stream's stored final captions, timed for the recording and valid by construction: every cue has
 * text, starts at or after 0, lasts at least {@link Cue#MIN_DURATION_MS}, and ends no later than the next one starts
 * (so starts strictly increase). Formats render it without changing a time ({@link TranscriptWriter}).
 *
 * <p>The repairs, in order: a final repeated by a resumed stream (same seq) is dropped; a cue overlapping the next is
 * trimmed to the next start; a cue too short is extended forward into the free time before the next cue, else
 * started earlier into the free time after the previous one, else merged with the next cue (their lines joined).
 * Two cues that overlap and start less than {@link Cue#MIN_DURATION_MS} apart are merged too.
 *
 * <p>That is the finals' own blocks, only repaired. What livecap delivers is {@link #of(List, Duration, CueRules)}:
 * the finals' words laid out again into cues within the reading rules ({@link CueBuilder}).
 */
public final class Transcript {

    private static final Logger log = LoggerFactory.getLogger(Transcript.class);

    private final List<Cue> cues;
    private final String language;

    private Transcript(List<Cue> cues, String language) {
        this.cues = List.copyOf(cues);
        this.language = language;
    }

    public static Transcript of(List<Caption> finals) {
        return of(finals, Duration.ZERO);
    }

    /**
     * The cues of the finals laid out again for reading ({@link CueBuilder}): every cue within {@code rules} (line
     * width, lines, characters per second, shortest and longest time on screen), none overlapping, short finals
     * merged and long ones split at word times. What livecap delivers.
     */
    public static Transcript of(List<Caption> finals, Duration offset, CueRules rules) {
        List<Caption> distinct = distinctFinals(finals);
        String language = "";
        for (Caption fin : distinct) {
            if (fin.language() != null && !fin.language().isBlank()) {
                language = fin.language().strip();
                break;
            }
        }
        List<Cue> cues = new CueBuilder(rules).build(distinct, offset.toMillis());
        log.debug("transcript: {} distinct finals became {} cues for reading", distinct.size(), cues.size());
        return new Transcript(cues, language);
    }

    /**
     * @param finals the stream's final captions (partials are ignored), in any order, duplicates by seq allowed
     * @param offset where stream time 0 falls in the recording; negative when the recording began after the audio
     *               livecap saw (cues then before the recording are dropped, and one straddling its start is cut)
     */
    public static Transcript of(List<Caption> finals, Duration offset) {
        long offsetMs = offset.toMillis();
        List<Caption> distinct = distinctFinals(finals);
        List<Cue> raw = new ArrayList<>();
        String language = "";
        for (Caption fin : distinct) {
            if (language.isEmpty() && fin.language() != null && !fin.language().isBlank()) {
                language = fin.language().strip();
            }
            List<String> lines = linesOf(fin);
            long startMs = fin.startMs() + offsetMs;
            long endMs = Math.max(fin.endMs(), fin.startMs()) + offsetMs;
            if (lines.isEmpty() || (startMs < 0 && endMs <= 0)) {
                continue;
            }
            raw.add(new Cue(Math.max(0, startMs), endMs, lines));
        }
        raw.sort(Comparator.comparingLong(Cue::startMs)); // stable: equal starts stay in seq order
        List<Cue> cues = repair(raw);
        if (finals.size() != distinct.size() || raw.size() != cues.size()) {
            log.debug("transcript: {} captions, {} distinct finals, {} with text, {} cues after merging",
                    finals.size(), distinct.size(), raw.size(), cues.size());
        }
        return new Transcript(cues, language);
    }

    public List<Cue> cues() {
        return cues;
    }

    /** The first language the finals name (a BCP-47 tag such as {@code en-US}), or "" when none does. */
    public String language() {
        return language;
    }

    /** True when no final had text: such a file has no cues, and partners reject it. */
    public boolean isEmpty() {
        return cues.isEmpty();
    }

    /** The finals, one per seq (the first stored wins: a resumed stream may store a seq twice), in seq order. */
    static List<Caption> distinctFinals(List<Caption> captions) {
        TreeMap<Long, Caption> bySeq = new TreeMap<>();
        for (Caption caption : captions) {
            if (caption.isFinal()) {
                bySeq.putIfAbsent(caption.seq(), caption);
            }
        }
        return List.copyOf(bySeq.values());
    }

    /** Cues sorted by start, each with end >= start >= 0, become cues that meet the class's promise. */
    private static List<Cue> repair(List<Cue> sorted) {
        List<Cue> out = new ArrayList<>();
        if (sorted.isEmpty()) {
            return out;
        }
        long min = Cue.MIN_DURATION_MS;
        long previousEndMs = 0;
        Cue current = sorted.get(0);
        // invariant: current.startMs() >= previousEndMs
        for (Cue next : sorted.subList(1, sorted.size())) {
            long nextStartMs = next.startMs();
            if (nextStartMs - current.startMs() >= min) {
                long endMs = Math.min(Math.max(current.endMs(), current.startMs() + min), nextStartMs);
                out.add(new Cue(current.startMs(), endMs, current.lines()));
                previousEndMs = endMs;
                current = next;
            } else if (current.endMs() <= nextStartMs && nextStartMs - previousEndMs >= min) {
                // a short cue moves earlier; a long one must not be squeezed into a flash before its words
                out.add(new Cue(nextStartMs - min, nextStartMs, current.lines()));
                previousEndMs = nextStartMs;
                current = next;
            } else {
                List<String> lines = new ArrayList<>(current.lines());
                lines.addAll(next.lines());
                current = new Cue(current.startMs(), Math.max(current.endMs(), next.endMs()), lines);
            }
        }
        out.add(new Cue(current.startMs(), Math.max(current.endMs(), current.startMs() + min), current.lines()));
        return out;
    }

    private static List<String> linesOf(Caption fin) {
        List<String> lines = new ArrayList<>();
        for (String line : fin.lines()) {
            String clean = cleanText(line);
            if (!clean.isEmpty()) {
                lines.add(clean);
            }
        }
        if (lines.isEmpty() && fin.text() != null && !cleanText(fin.text()).isEmpty()) {
            lines.add(cleanText(fin.text()));
        }
        return lines;
    }

    /**
     * One line of plain text that every format can carry: whitespace (line breaks included) becomes single spaces, and
     * what XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) is dropped, so DFXP stays well-formed.
     */
    static String cleanText(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder clean = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = clean.length() > 0;
            } else if (!Character.isISOControl(cp) && (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                    && cp != 0xFFFE && cp != 0xFFFF) {
                if (space) {
                    clean.append(' ');
                    space = false;
                }
                clean.appendCodePoint(cp);
            }
        }
        return clean.toString();
    }
}
