package io.livecap.captions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cues a viewer can read ({@link CueRules}) from a stream's finals: the finals' words, with their times, are laid
 * out again, so short finals are merged and long ones split at word times, whatever blocks the live feed showed.
 *
 * <p>How: words (the final's shown text when it has one token per word, so restored case, punctuation and a
 * speaker's {@code >> } survive; otherwise the words; a final without words spreads its text over its time) are
 * taken in time order into a cue until the next word would not fit in the lines, would make the cue span more
 * than the longest duration, or follows a pause of {@link #PAUSE_MS} or more; a cue also ends at a sentence end once
 * it is half full, and a speaker change ({@code >>}) always starts a new cue. A cue that overflows ends instead at
 * its last clause end (punctuation) in its second half, if it has one. A word wider than a line is cut into pieces.
 *
 * <p>Times: a cue starts with its first word (or when the previous cue ends, if later) and ends with its last word,
 * or later when its text needs longer to read or the minimum duration says so. The rule that cannot always be met
 * from the words' own times is the reading rate (a long word said quickly, fast speech): the builder resolves it
 * by extending the cue into the gap after it; when that gap is too short it starts the cue earlier, into the free
 * time after the previous cue; and when there is not enough of either the next cue starts later than its first word
 * (a lag the next pause absorbs). So every cue meets every rule and the validator allows no exception.
 */
final class CueBuilder {

    /** A pause this long between words ends a cue: the viewer sees the silence. */
    static final long PAUSE_MS = 1500;

    private record Token(String text, long startMs, long endMs, boolean speakerChange) {
    }

    private final CueRules rules;
    private final NaturalLineBreak breaker;

    CueBuilder(CueRules rules) {
        this.rules = rules;
        this.breaker = new NaturalLineBreak(rules.maxCharsPerLine(), rules.maxLines());
    }

    /** @param finals distinct finals in seq order; {@code offsetMs} moves stream time into the recording */
    List<Cue> build(List<Caption> finals, long offsetMs) {
        List<Token> tokens = new ArrayList<>();
        for (Caption fin : finals) {
            tokensOf(fin, offsetMs, tokens);
        }
        tokens.sort(Comparator.comparingLong(Token::startMs)); // stable: a final's words keep their order
        List<List<Token>> groups = group(tokens);
        return time(groups);
    }

    private void tokensOf(Caption fin, long offsetMs, List<Token> out) {
        List<String> shown = splitWords(fin.lines().isEmpty() ? fin.text() : String.join(" ", fin.lines()));
        List<CaptionWord> words = fin.words().stream().filter(w -> !Transcript.cleanText(w.word()).isEmpty()).toList();
        boolean marked = !shown.isEmpty() && shown.get(0).equals(">>");
        List<String> texts;
        List<long[]> times = new ArrayList<>();
        if (!words.isEmpty()) {
            List<String> shownWords = marked ? shown.subList(1, shown.size()) : shown;
            texts = shownWords.size() == words.size() ? shownWords
                    : words.stream().map(w -> Transcript.cleanText(w.word())).toList();
            for (CaptionWord w : words) {
                times.add(new long[]{w.startMs(), Math.max(w.endMs(), w.startMs())});
            }
        } else {
            texts = marked ? shown.subList(1, shown.size()) : shown;
            long start = fin.startMs();
            long span = Math.max(0, fin.endMs() - start);
            for (int i = 0; i < texts.size(); i++) {
                times.add(new long[]{start + span * i / texts.size(), start + span * (i + 1) / texts.size()});
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            long start = times.get(i)[0] + offsetMs;
            long end = times.get(i)[1] + offsetMs;
            if (end <= 0 && !(end == 0 && start == 0)) {
                continue; // said before the recording began
            }
            addToken(out, texts.get(i), Math.max(0, start), Math.max(0, end), marked && i == 0);
        }
    }

    /** A word wider than a line is cut into line-wide pieces sharing its time (a hyphen would be a guess). */
    private void addToken(List<Token> out, String text, long startMs, long endMs, boolean speakerChange) {
        if (speakerChange) {
            text = ">> " + text;
        }
        int width = rules.maxCharsPerLine();
        if (text.length() <= width) {
            out.add(new Token(text, startMs, endMs, speakerChange));
            return;
        }
        int pieces = (text.length() + width - 1) / width;
        for (int p = 0; p < pieces; p++) {
            String piece = text.substring(p * width, Math.min(text.length(), (p + 1) * width));
            out.add(new Token(piece, startMs + (endMs - startMs) * p / pieces,
                    startMs + (endMs - startMs) * (p + 1) / pieces, speakerChange && p == 0));
        }
    }

    private List<List<Token>> group(List<Token> tokens) {
        List<List<Token>> groups = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token token : tokens) {
            if (!current.isEmpty()) {
                Token last = current.get(current.size() - 1);
                long endMs = Math.max(token.endMs(), current.stream().mapToLong(Token::endMs).max().orElse(0));
                boolean full = !breaker.fits(texts(current, token))
                        || endMs - current.get(0).startMs() > rules.maxMs();
                if (token.speakerChange() || token.startMs() - last.endMs() >= PAUSE_MS) {
                    groups.add(current);
                    current = new ArrayList<>();
                } else if (full) {
                    int cut = lastClauseEnd(current);
                    groups.add(new ArrayList<>(current.subList(0, cut)));
                    current = new ArrayList<>(current.subList(cut, current.size()));
                    // the carried words and this one still fit: they were part of a cue that did, minus its start
                    if (!current.isEmpty() && (!breaker.fits(texts(current, token))
                            || endMs - current.get(0).startMs() > rules.maxMs())) {
                        groups.add(current);
                        current = new ArrayList<>();
                    }
                } else if (NaturalLineBreak.endsSentence(last.text()) && chars(current) * 2 >= rules.maxChars()) {
                    groups.add(current);
                    current = new ArrayList<>();
                }
            }
            current.add(token);
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** Where an overflowing cue should end: after its last clause end in its second half, else where it is. */
    private static int lastClauseEnd(List<Token> cue) {
        for (int i = cue.size() - 1; i >= 1 && i * 2 >= cue.size(); i--) {
            if (NaturalLineBreak.endsClause(cue.get(i - 1).text())) {
                return i;
            }
        }
        return cue.size();
    }

    private List<Cue> time(List<List<Token>> groups) {
        List<Cue> cues = new ArrayList<>();
        long previousEndMs = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<Token> group = groups.get(g);
            List<String> lines = breaker.lines(group.stream().map(Token::text).toList());
            int chars = String.join(" ", lines).length();
            long needMs = rules.requiredMs(chars);
            long firstMs = group.get(0).startMs();
            long lastMs = group.stream().mapToLong(Token::endMs).max().orElse(firstMs);
            long startMs = Math.max(firstMs, previousEndMs);
            long endMs = Math.max(lastMs, startMs + needMs);
            if (g + 1 < groups.size()) {
                long nextMs = groups.get(g + 1).get(0).startMs();
                if (endMs > nextMs) {
                    // not enough time after it: take what is free before it, without hiding a word already said
                    long earlier = Math.min(endMs - Math.max(nextMs, lastMs), startMs - previousEndMs);
                    if (earlier > 0) {
                        startMs -= earlier;
                        endMs = Math.max(lastMs, startMs + needMs);
                    }
                }
            }
            endMs = Math.min(endMs, startMs + rules.maxMs()); // only ever cuts a lagging cue's tail
            endMs = Math.max(endMs, startMs + needMs);
            cues.add(new Cue(startMs, endMs, lines));
            previousEndMs = endMs;
        }
        return cues;
    }

    private static List<String> texts(List<Token> tokens, Token next) {
        List<String> texts = new ArrayList<>(tokens.size() + 1);
        tokens.forEach(t -> texts.add(t.text()));
        texts.add(next.text());
        return texts;
    }

    private static int chars(List<Token> tokens) {
        return tokens.stream().mapToInt(t -> t.text().length() + 1).sum() - 1;
    }

    private static List<String> splitWords(String text) {
        String clean = Transcript.cleanText(text);
        return clean.isEmpty() ? List.of() : List.of(clean.split(" "));
    }
}
