package io.livecap.captions;

import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.WavAudio;
import io.livecap.testkit.RecordingListener;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import io.livecap.timing.TimingMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentence case and punctuation on pocketsphinx's finals of the shared samples, against references with casing and
 * punctuation (testkit's references/*.cased.txt): case-and-punctuation-sensitive WER (marks count as words) and
 * punctuation F1 (a mark after a word of the aligned reference and hypothesis: right if the same). Plain WER (case
 * and marks ignored) must stay what it was. Recorded in bench/README.md ("Case and punctuation").
 */
class CaseAndPunctuationTest {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9']+|[.,?]");

    record Score(double plainWer, double casedWer, double precision, double recall) {

        double f1() {
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
    }

    @Test
    void rulesGiveTheLectureItsSentencesWithoutChangingAWord() throws Exception {
        for (String sample : List.of(SharedAudio.LECTURE, SharedAudio.VOSK_TEST)) {
            List<RecordingListener.Result> results = recognise(sample);
            String reference = SharedAudio.casedTranscript(sample);
            assertEquals(SharedAudio.transcript(sample), plain(reference), "the cased reference says what the plain one says");
            Score today = score(reference, finalText(results, CaseAndPunctuation.NONE));
            String restored = finalText(results, new RuleRestorer(WordList.debian()));
            Score rules = score(reference, restored);
            System.out.printf("%s: today   plain WER %.3f  cased WER %.3f  punctuation P %.2f R %.2f F1 %.2f%n", sample,
                    today.plainWer(), today.casedWer(), today.precision(), today.recall(), today.f1());
            System.out.printf("%s: rules   plain WER %.3f  cased WER %.3f  punctuation P %.2f R %.2f F1 %.2f%n", sample,
                    rules.plainWer(), rules.casedWer(), rules.precision(), rules.recall(), rules.f1());
            System.out.println(sample + ": " + restored);
            assertEquals(today.plainWer(), rules.plainWer(), 1e-9, "plain WER unchanged");
            assertTrue(rules.casedWer() < today.casedWer(), sample + ": cased WER improves " + rules + " vs " + today);
            if (sample.equals(SharedAudio.LECTURE)) {
                assertTrue(rules.f1() >= 0.8, "lecture punctuation F1 " + rules);
                assertTrue(rules.casedWer() <= today.plainWer() + 0.10, "lecture cased WER close to plain " + rules);
            }
        }
    }

    private static String plain(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[.,?]", "").trim();
    }

    private static List<RecordingListener.Result> recognise(String sample) throws Exception {
        SpeechEngine engine = TestEngines.pocketsphinx();
        short[] samples = WavAudio.read(SharedAudio.file(sample)).samples();
        RecordingListener listener = new RecordingListener();
        try (RecognitionStream stream = engine.openStream(new StreamOptions("en-US", List.of()), listener)) {
            short[] buffer = new short[1_600];
            for (int at = 0; at < samples.length; at += buffer.length) {
                int length = Math.min(buffer.length, samples.length - at);
                System.arraycopy(samples, at, buffer, 0, length);
                stream.acceptAudio(buffer, length);
            }
            stream.finish();
        }
        return listener.results();
    }

    private static String finalText(List<RecordingListener.Result> results, CaseAndPunctuation restorer) {
        TimingMap timing = new TimingMap(16_000, 90_000, 33);
        for (long ms = 0; ms <= 120_000; ms += 100) {
            timing.append(ms * 90, 1_700_000_000_000L + ms, 1_600);
        }
        List<String> finals = new ArrayList<>();
        CaptionBuilder builder = new CaptionBuilder("s", "en-US", timing, LineBreaker.defaults(), 1, 1, 1, 0,
                Stability.MEDIUM, restorer, c -> {
                    if (c.isFinal()) {
                        finals.add(c.text());
                    }
                });
        results.forEach(r -> {
            if (r.isFinal()) {
                builder.onFinal(r.hypothesis());
            } else {
                builder.onPartial(r.hypothesis());
            }
        });
        return String.join(" ", finals);
    }

    static Score score(String reference, String hypothesis) {
        List<String> ref = tokens(reference);
        List<String> hyp = tokens(hypothesis);
        double casedWer = (double) distance(ref, hyp) / ref.size();
        // punctuation: the mark after each word, on the alignment of the plain words
        List<String> refWords = new ArrayList<>();
        List<String> refMarks = new ArrayList<>();
        split(ref, refWords, refMarks);
        List<String> hypWords = new ArrayList<>();
        List<String> hypMarks = new ArrayList<>();
        split(hyp, hypWords, hypMarks);
        int[][] pairs = align(refWords, hypWords);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        boolean[] refSeen = new boolean[refWords.size()];
        boolean[] hypSeen = new boolean[hypWords.size()];
        for (int[] p : pairs) {
            refSeen[p[0]] = true;
            hypSeen[p[1]] = true;
            String r = refMarks.get(p[0]);
            String h = hypMarks.get(p[1]);
            if (!h.isEmpty() && h.equals(r)) {
                tp++;
            } else {
                fp += h.isEmpty() ? 0 : 1;
                fn += r.isEmpty() ? 0 : 1;
            }
        }
        for (int i = 0; i < refSeen.length; i++) {
            fn += !refSeen[i] && !refMarks.get(i).isEmpty() ? 1 : 0;
        }
        for (int j = 0; j < hypSeen.length; j++) {
            fp += !hypSeen[j] && !hypMarks.get(j).isEmpty() ? 1 : 0;
        }
        return new Score(WordErrorRate.of(reference, hypothesis), casedWer,
                tp + fp == 0 ? 0 : (double) tp / (tp + fp), tp + fn == 0 ? 0 : (double) tp / (tp + fn));
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static void split(List<String> tokens, List<String> words, List<String> marks) {
        for (String t : tokens) {
            if (Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '\'') {
                words.add(t.toLowerCase(Locale.ROOT));
                marks.add("");
            } else if (!marks.isEmpty()) {
                marks.set(marks.size() - 1, t);
            }
        }
    }

    private static int distance(List<String> a, List<String> b) {
        int[][] d = table(a, b);
        return d[a.size()][b.size()];
    }

    private static int[][] table(List<String> a, List<String> b) {
        int[][] d = new int[a.size() + 1][b.size() + 1];
        for (int i = 0; i <= a.size(); i++) {
            for (int j = 0; j <= b.size(); j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(d[i - 1][j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1),
                        Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        return d;
    }

    /** Pairs (reference word, hypothesis word) that the edit alignment matches or substitutes. */
    private static int[][] align(List<String> a, List<String> b) {
        int[][] d = table(a, b);
        List<int[]> pairs = new ArrayList<>();
        int i = a.size();
        int j = b.size();
        while (i > 0 && j > 0) {
            if (d[i][j] == d[i - 1][j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1)) {
                pairs.add(new int[] {--i, --j});
            } else if (d[i][j] == d[i - 1][j] + 1) {
                i--;
            } else {
                j--;
            }
        }
        return pairs.toArray(new int[0][]);
    }

    @Test
    void scoringCountsMarksOnTheAlignedWords() {
        Score perfect = score("Hello, world. Is it?", "Hello, world. Is it?");
        assertEquals(0, perfect.casedWer(), 1e-9);
        assertEquals(1, perfect.f1(), 1e-9);
        Score none = score("Hello, world.", "hello world");
        assertEquals(0, none.plainWer(), 1e-9);
        assertEquals(0.75, none.casedWer(), 1e-9, "Hello for hello and two marks missing: 3 errors in 4 tokens");
        assertEquals(0, none.f1(), 1e-9);
        Score wrongMark = score("Hello, world.", "Hello. World.");
        assertEquals(0.5, wrongMark.precision(), 1e-9);
        assertEquals(0.5, wrongMark.recall(), 1e-9);
        assertEquals(List.of("I'm", "here", "."), tokens("I'm here."));
    }
}
