package io.livecap.captions;

import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.WavAudio;
import io.livecap.testkit.RecordingListener;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import io.livecap.timing.TimingMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady partials on the shared lecture with pocketsphinx: the engine's results are recorded once, then given to a
 * caption builder at each stability level, and what a viewer would see is measured. Flicker: words already shown
 * that a later partial of the utterance changed (everything after the first word that differs), per 100 final
 * words. Partial latency: for each final word, how much audio had been fed when a partial first showed it (same
 * text, overlapping time) minus the word's end; the final's arrival for words no partial showed. "Today" is how
 * it was before stability: no stabilisation and the engine's partials every 200 ms of audio (every other partial
 * of this recording, which has one every 100 ms; asking for a hypothesis does not change the search).
 * The numbers are recorded in bench/README.md ("Steady partials").
 */
class PartialStabilityTest {

    record Seen(Caption caption, long fedMs) {
    }

    record Replay(List<Seen> seen, long stableWords, long corrected) {
    }

    record Measure(int partials, int rewritingPartials, int rewrittenWords, int finalWords, long latencyP50,
                   long latencyP90, long stableWords, long corrected) {

        double flicker() {
            return 100.0 * rewrittenWords / finalWords;
        }
    }

    static List<RecordingListener.Result> results;

    @BeforeAll
    static void recognise() throws Exception {
        SpeechEngine engine = TestEngines.pocketsphinx();
        short[] samples = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE)).samples();
        AtomicLong fed = new AtomicLong();
        RecordingListener listener = new RecordingListener(fed::get);
        try (RecognitionStream stream = engine.openStream(new StreamOptions("en-US", List.of()), listener)) {
            int chunk = 1_600; // 100 ms, as the ingest clients send it
            short[] buffer = new short[chunk];
            for (int at = 0; at < samples.length; at += chunk) {
                int length = Math.min(chunk, samples.length - at);
                System.arraycopy(samples, at, buffer, 0, length);
                fed.set((at + length) / 16L);
                stream.acceptAudio(buffer, length);
            }
            stream.finish();
        }
        results = listener.results();
    }

    @Test
    void defaultLevelCutsRewritesByFourFifthsForAtMost150msOfLatency() {
        Map<Stability, Measure> measured = new EnumMap<>(Stability.class);
        for (Stability level : Stability.values()) {
            measured.put(level, measure(replay(level)));
        }
        Measure today = measure(replay(new PartialStabilizer(Stability.OFF), everyOtherPartial()));
        System.out.println("level   partials  rewriting  rewritten-words  flicker/100w  latency-p50  latency-p90"
                + "  stable-words  corrected-by-final");
        Map<String, Measure> rows = new java.util.LinkedHashMap<>();
        rows.put("today", today);
        measured.forEach((level, m) -> rows.put(level.wireName(), m));
        rows.forEach((level, m) -> System.out.printf("%-7s %8d  %9d  %15d  %12.1f  %8d ms  %8d ms  %12d  %d%n",
                level, m.partials(), m.rewritingPartials(), m.rewrittenWords(), m.flicker(),
                m.latencyP50(), m.latencyP90(), m.stableWords(), m.corrected()));
        Measure off = today;
        Measure medium = measured.get(Stability.MEDIUM);
        assertTrue(off.rewritingPartials() > 50, "the engine's own partials rewrite themselves: " + off);
        assertTrue(measured.get(Stability.OFF).rewritingPartials() > off.rewritingPartials(),
                "partials twice as often rewrite more: " + measured.get(Stability.OFF));
        assertEquals(off.finalWords(), medium.finalWords(), "stability changes partials, never finals");
        assertTrue(medium.rewritingPartials() <= off.rewritingPartials() / 5,
                "medium: at least 80 % fewer rewriting partials: " + medium + " vs " + off);
        assertTrue(medium.rewrittenWords() <= off.rewrittenWords() / 5,
                "medium: at least 80 % fewer rewritten words: " + medium + " vs " + off);
        assertTrue(medium.latencyP50() - off.latencyP50() <= 150,
                "medium: at most +150 ms partial latency p50: " + medium + " vs " + off);
        assertTrue(medium.corrected() * 4 <= medium.stableWords(),
                "medium: a final corrects at most a quarter of the words shown as stable: " + medium);
        Measure high = measured.get(Stability.HIGH);
        assertTrue(high.rewrittenWords() <= medium.rewrittenWords() && high.corrected() <= medium.corrected(),
                "high is at least as steady: " + high);
    }

    @Test
    void noPartialRewritesAStableWord() {
        for (Stability level : List.of(Stability.LOW, Stability.MEDIUM, Stability.HIGH)) {
            List<Caption> previous = new ArrayList<>();
            for (Seen seen : replay(level).seen()) {
                Caption c = seen.caption();
                if (c.isFinal()) {
                    assertTrue(c.words().stream().allMatch(CaptionWord::stable), "final words are stable");
                    previous = new ArrayList<>();
                    continue;
                }
                if (!previous.isEmpty()) {
                    List<CaptionWord> before = previous.get(0).words();
                    for (int i = 0; i < before.size() && before.get(i).stable(); i++) {
                        assertTrue(i < c.words().size() && c.words().get(i).equals(before.get(i)),
                                level + ": stable word " + before.get(i) + " rewritten in " + c);
                    }
                }
                previous = List.of(c);
            }
        }
    }

    private static Replay replay(Stability level) {
        return replay(new PartialStabilizer(level));
    }

    static Replay replay(PartialStabilizer stabilizer) {
        return replay(stabilizer, results);
    }

    /** The recording as the engine gave it with a partial every 200 ms: each utterance's 1st, 3rd, 5th... */
    private static List<RecordingListener.Result> everyOtherPartial() {
        List<RecordingListener.Result> kept = new ArrayList<>();
        int partial = 0;
        for (RecordingListener.Result r : results) {
            if (r.isFinal()) {
                kept.add(r);
                partial = 0;
            } else if (partial++ % 2 == 0) {
                kept.add(r);
            }
        }
        return kept;
    }

    static Replay replay(PartialStabilizer stabilizer, List<RecordingListener.Result> results) {
        TimingMap timing = new TimingMap(16_000, 90_000, 33);
        long lastFed = results.get(results.size() - 1).fedMs();
        for (long ms = 0; ms <= lastFed + 1_000; ms += 100) {
            timing.append(ms * 90, 1_700_000_000_000L + ms, 1_600);
        }
        List<Seen> seen = new ArrayList<>();
        AtomicLong fed = new AtomicLong();
        CaptionBuilder builder = new CaptionBuilder("lecture", "en-US", timing, LineBreaker.defaults(), 1, 1, 1, 0,
                stabilizer, CaseAndPunctuation.NONE, caption -> seen.add(new Seen(caption, fed.get())));
        for (RecordingListener.Result r : results) {
            fed.set(r.fedMs());
            if (r.isFinal()) {
                builder.onFinal(r.hypothesis());
            } else {
                builder.onPartial(r.hypothesis());
            }
        }
        return new Replay(seen, builder.stableWords(), builder.stableWordsCorrected());
    }

    static Measure measure(Replay replay) {
        List<Seen> seen = replay.seen();
        int partials = 0;
        int rewriting = 0;
        int rewritten = 0;
        int finalWords = 0;
        List<Long> latencies = new ArrayList<>();
        List<Seen> utterance = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            Seen s = seen.get(i);
            Caption c = s.caption();
            if (!c.isFinal()) {
                partials++;
                if (!utterance.isEmpty() && !utterance.get(utterance.size() - 1).caption().isFinal()) {
                    List<CaptionWord> before = utterance.get(utterance.size() - 1).caption().words();
                    int same = 0;
                    while (same < Math.min(before.size(), c.words().size())
                            && before.get(same).word().equals(c.words().get(same).word())) {
                        same++;
                    }
                    if (same < before.size()) {
                        rewriting++;
                        rewritten += before.size() - same;
                    }
                }
                utterance.add(s);
                continue;
            }
            finalWords += c.words().size();
            for (CaptionWord w : c.words()) {
                long shownAt = s.fedMs();
                for (Seen p : utterance) {
                    if (p.caption().isFinal()) {
                        continue;
                    }
                    if (p.caption().words().stream().anyMatch(x -> x.word().equals(w.word())
                            && x.startMs() < w.endMs() && x.endMs() > w.startMs())) {
                        shownAt = p.fedMs();
                        break;
                    }
                }
                latencies.add(shownAt - w.endMs());
            }
            // the next block of a long utterance keeps its partials; a new utterance starts afresh
            if (i + 1 < seen.size() && seen.get(i + 1).caption().utterance() != c.utterance()) {
                utterance = new ArrayList<>();
            }
        }
        latencies.sort(null);
        return new Measure(partials, rewriting, rewritten, finalWords, latencies.get(latencies.size() / 2),
                latencies.get(latencies.size() * 9 / 10), replay.stableWords(), replay.corrected());
    }
}
