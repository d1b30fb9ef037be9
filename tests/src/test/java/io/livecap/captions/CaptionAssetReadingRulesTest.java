package io.livecap.captions;

import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.WavAudio;
import io.livecap.reach.OutputFormat;
import io.livecap.testkit.RecordingListener;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import io.livecap.timing.TimingMap;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.livecap.captions.SubtitleValidator.Rules.PARTNER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caption assets of real recognitions pass the reading rules ({@link CueRules#DEFAULTS}) and the partner's check
 * in SRT, WebVTT and DFXP: the lecture (pocketsphinx, case and punctuation restored) and a long run (the lecture's
 * and vosk-test's finals stitched over 11+ minutes). Prints the figures recorded in bench/README.md ("Caption
 * assets"): cues before (the finals' own blocks) and after, how many of the former broke a rule, cps and durations.
 */
class CaptionAssetReadingRulesTest {

    private static final CueRules RULES = CueRules.DEFAULTS;
    /** Recognising the lecture takes a while on a loaded machine: once for both tests. */
    private static final java.util.Map<String, List<Caption>> FINALS = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void theLecturesAssetKeepsEveryReadingRuleInEveryFormat() throws Exception {
        List<Caption> finals = finals(SharedAudio.LECTURE);
        assertTrue(finals.size() >= 5, "the lecture gives finals: " + finals.size());
        check("lecture", finals);
    }

    @Test
    void aLongRunsAssetKeepsEveryReadingRuleInEveryFormat() throws Exception {
        List<Caption> lecture = finals(SharedAudio.LECTURE);
        List<Caption> vosk = finals(SharedAudio.VOSK_TEST);
        List<Caption> stitched = new ArrayList<>();
        long atMs = 0;
        for (int round = 0; round < 11; round++) {
            for (List<Caption> part : List.of(lecture, vosk)) {
                long endMs = 0;
                for (Caption c : part) {
                    stitched.add(shifted(c, atMs, stitched.size() + 1));
                    endMs = Math.max(endMs, c.endMs());
                }
                atMs += endMs + 700; // the next piece follows after a short breath
            }
        }
        assertTrue(atMs >= 10 * 60_000, "a long run: " + atMs + " ms");
        check("long run (" + atMs / 1000 + " s)", stitched);
    }

    /** What a resumed, revising stream may store (overlaps, repeats, zero lengths, markup, control characters). */
    @Test
    void anyStoredFinalsGiveAnAssetWithinTheReadingRules() {
        java.util.Random random = new java.util.Random(1515);
        int checked = 0;
        for (int run = 0; run < 300; run++) {
            List<Caption> finals = Finals.random(random);
            Duration offset = Duration.ofMillis(random.nextInt(10_001) - 5000);
            Transcript transcript = Transcript.of(finals, offset, RULES);
            if (transcript.isEmpty()) {
                continue;
            }
            assertEquals(0, broken(transcript.cues()), "run " + run);
            for (OutputFormat format : OutputFormat.values()) {
                String file = new TranscriptWriter(format, RULES).write(finals, offset);
                int r = run;
                assertEquals(List.of(), SubtitleValidator.problems(format, file, RULES), () -> "run " + r + "\n" + file);
                SubtitleValidator.Report partner = SubtitleValidator.check(format, file, PARTNER);
                assertTrue(partner.valid() && partner.warnings().isEmpty(), () -> "run " + r + ": " + partner);
                checked++;
            }
        }
        assertTrue(checked > 400, "too few files checked: " + checked);
    }

    private static void check(String name, List<Caption> finals) {
        List<Cue> before = Transcript.of(finals).cues();
        Transcript after = Transcript.of(finals, Duration.ZERO, RULES);
        List<Cue> cues = after.cues();
        assertEquals(words(before), words(cues), name + ": no word lost or added");
        for (OutputFormat format : OutputFormat.values()) {
            String file = new TranscriptWriter(format, RULES).write(finals);
            assertEquals(List.of(), SubtitleValidator.problems(format, file, RULES), name + " " + format);
            SubtitleValidator.Report partner = SubtitleValidator.check(format, file, PARTNER);
            assertTrue(partner.valid(), name + " " + format + ": " + partner.errors());
            assertEquals(List.of(), partner.warnings(), name + " " + format);
            assertEquals(cues.size(), partner.cues(), name + " " + format);
        }
        // how far a cue's start is from its first word's: late (lag) when reading time pushed it, early (lead)
        List<Long> wordStarts = finals.stream().flatMap(f -> f.words().stream()).map(CaptionWord::startMs)
                .sorted().toList();
        long lag = 0;
        long lead = 0;
        int word = 0;
        for (Cue c : cues) {
            long offset = c.startMs() - wordStarts.get(word);
            lag = Math.max(lag, offset);
            lead = Math.max(lead, -offset);
            word += String.join(" ", c.lines()).split(" ").length;
        }
        System.out.printf(Locale.ROOT, "%s: %d finals; finals' own cues %d (%d break a reading rule, max %.1f cps,"
                        + " %d-%d ms); reading cues %d (max %.1f cps, %d-%d ms, max %d lines of <= %d chars,"
                        + " start up to %d ms after / %d ms before its first word)%n",
                name, finals.size(), before.size(), broken(before), maxCps(before), minMs(before), maxMs(before),
                cues.size(), maxCps(cues), minMs(cues), maxMs(cues),
                cues.stream().mapToInt(c -> c.lines().size()).max().orElse(0),
                cues.stream().flatMap(c -> c.lines().stream()).mapToInt(String::length).max().orElse(0), lag, lead);
        assertEquals(0, broken(cues), name);
    }

    private static int broken(List<Cue> cues) {
        int broken = 0;
        long previousEndMs = 0;
        for (Cue c : cues) {
            boolean ok = c.startMs() >= previousEndMs && c.lines().size() <= RULES.maxLines()
                    && c.lines().stream().allMatch(l -> l.length() <= RULES.maxCharsPerLine())
                    && c.durationMs() >= RULES.minMs() && c.durationMs() <= RULES.maxMs()
                    && RULES.readable(chars(c), c.durationMs());
            broken += ok ? 0 : 1;
            previousEndMs = c.endMs();
        }
        return broken;
    }

    private static int chars(Cue c) {
        return String.join(" ", c.lines()).length();
    }

    private static double maxCps(List<Cue> cues) {
        return cues.stream().mapToDouble(c -> chars(c) * 1000.0 / c.durationMs()).max().orElse(0);
    }

    private static long minMs(List<Cue> cues) {
        return cues.stream().mapToLong(Cue::durationMs).min().orElse(0);
    }

    private static long maxMs(List<Cue> cues) {
        return cues.stream().mapToLong(Cue::durationMs).max().orElse(0);
    }

    private static List<String> words(List<Cue> cues) {
        List<String> words = new ArrayList<>();
        cues.forEach(c -> c.lines().forEach(l -> words.addAll(List.of(l.split(" ")))));
        return words;
    }

    private static Caption shifted(Caption c, long byMs, long seq) {
        List<CaptionWord> words = c.words().stream()
                .map(w -> new CaptionWord(w.word(), w.startMs() + byMs, w.endMs() + byMs, w.confidence()))
                .toList();
        return new Caption(c.streamId(), seq, true, seq, c.text(), c.lines(), c.startMs() + byMs, c.endMs() + byMs,
                c.startEpoch() + byMs, c.startPts(), words, c.language());
    }

    /** The finals the live pipeline gives for a shared sample: pocketsphinx, medium stability, rules restorer. */
    private static synchronized List<Caption> finals(String sample) throws Exception {
        List<Caption> known = FINALS.get(sample);
        if (known != null) {
            return known;
        }
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
        TimingMap timing = new TimingMap(16_000, 90_000, 33);
        for (long ms = 0; ms <= 120_000; ms += 100) {
            timing.append(ms * 90, 1_700_000_000_000L + ms, 1_600);
        }
        List<Caption> finals = new ArrayList<>();
        CaptionBuilder builder = new CaptionBuilder("s", "en-US", timing, LineBreaker.defaults(), 1, 1, 1, 0,
                Stability.MEDIUM, new RuleRestorer(WordList.debian()), c -> {
                    if (c.isFinal()) {
                        finals.add(c);
                    }
                });
        for (RecordingListener.Result r : listener.results()) {
            if (r.isFinal()) {
                builder.onFinal(r.hypothesis());
            } else {
                builder.onPartial(r.hypothesis());
            }
        }
        FINALS.put(sample, List.copyOf(finals));
        return finals;
    }
}
