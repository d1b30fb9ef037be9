package io.livecap.captions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Final captions for tests: hand-made ones, and random sequences as a resumed, revising stream could store them. */
public final class Finals {

    private static final String[] VOCABULARY = {"the", "committee", "will", "meet", "on", "tuesday", "R&D", "a<b",
            "x>y", "-->", "<i>", "&amp;", "café", "日本語", "👍", "\u0001", "\uFFFF", "\uD800", " ", "\n", "--", "1",
            "00:00:01,000", "WEBVTT", "NOTE"};

    private Finals() {
    }

    /** A final whose words spread evenly over its time, confidence 0.9. */
    public static Caption fin(long seq, long startMs, long endMs, String... lines) {
        List<String> words = Arrays.stream(String.join(" ", lines).split(" ")).filter(w -> !w.isEmpty()).toList();
        List<CaptionWord> timed = new ArrayList<>();
        long span = Math.max(0, endMs - startMs);
        for (int i = 0; i < words.size(); i++) {
            timed.add(new CaptionWord(words.get(i), startMs + span * i / words.size(),
                    startMs + span * (i + 1) / words.size(), 0.9));
        }
        return new Caption("ev42", seq, true, seq, String.join(" ", lines), List.of(lines), startMs, endMs,
                1_700_000_000_000L + startMs, 90L * startMs, timed, "en-US");
    }

    /**
     * Up to 40 finals with random gaps and overlaps (-3 s to +3 s), zero and negative lengths, repeated seqs,
     * out-of-order storage, blank captions, and text full of markup, arrows, control characters and non-ASCII.
     */
    public static List<Caption> random(Random random) {
        List<Caption> finals = new ArrayList<>();
        long startMs = random.nextInt(2000);
        int count = random.nextInt(41);
        for (int seq = 1; seq <= count; seq++) {
            startMs = Math.max(0, startMs + random.nextInt(6001) - 3000);
            long lengthMs = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(250);
                case 2 -> -random.nextInt(500);
                default -> random.nextInt(5000);
            };
            String[] lines = new String[random.nextInt(3)];
            for (int l = 0; l < lines.length; l++) {
                StringBuilder line = new StringBuilder();
                for (int w = random.nextInt(6); w >= 0; w--) {
                    line.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(' ');
                }
                lines[l] = line.toString();
            }
            finals.add(fin(seq, startMs, startMs + lengthMs, lines));
            if (random.nextInt(8) == 0) { // a resumed stream stores a seq again
                finals.add(fin(seq, startMs + random.nextInt(1000), startMs + 500, "again"));
            }
            startMs += Math.max(0, lengthMs);
        }
        if (random.nextInt(4) == 0) {
            Collections.shuffle(finals, random);
        }
        return finals;
    }
}
