package io.livecap.captions;

import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.Flite;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.RecordingListener;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import io.livecap.timing.TimingMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finals that do not wait for a pause: flite sentences (two voices in turn, as an interview goes) joined with 0.4 s
 * gaps, over 60 s, never reach pocketsphinx's 0.5 s end of utterance. The engine's results are recorded with its
 * utterances cut at short pauses ({@link UtteranceCutter}, {@code captions.max_final_delay_ms}) and without, and each
 * is given to a caption builder as a session has it. Final latency is
 * measured in audio time: how much audio had been fed when a final was emitted, minus its last word's end. The
 * numbers are recorded in bench/README.md ("Finals that do not wait for a pause").
 */
class EarlyFinalsTest {

    record Seen(Caption caption, long fedMs) {
    }

    private static final String[] SENTENCES = {
        "thank you for joining us this morning to talk about the new library",
        "thank you for having me it is a pleasure to be here with you today",
        "how long did it take the city council to approve the plan",
        "it took almost two years because the budget had to be changed several times",
        "what will the library offer that the old building did not",
        "there will be a large room for children and a quiet place for students to read",
        "when do you expect the doors to open for the public",
        "if the weather is good the building should be finished early next summer",
        "good morning and welcome to the evening news",
        "the school board voted to hire more teachers next year",
        "a new bridge will open across the river in the spring",
        "the museum will stay open late on saturday night",
        "police asked drivers to avoid the main road until noon",
        "the weather will be cold and windy with some rain in the afternoon",
        "the city plans to plant one thousand trees along the main streets",
        "the football team won its third game in a row on sunday",
        "a local baker opened a second shop near the train station",
        "the library will lend books and music for free to every student",
    };
    private static final int RATE = 16_000;
    private static final long DELAY_MS = 3_000; // the default

    static List<RecordingListener.Result> results;
    static List<RecordingListener.Result> cutResults;
    static String reference;
    static long audioMs;
    static short[] speech;

    @BeforeAll
    static void recognise(@TempDir Path dir) throws Exception {
        speech = turns(dir);
        audioMs = speech.length * 1000L / RATE;
        assertTrue(audioMs >= 60_000, "at least 60 s of speech: " + audioMs);
        reference = TURNS_REFERENCE;
        SpeechEngine engine = TestEngines.pocketsphinx();
        results = recognise(engine);
        cutResults = recognise(new UtteranceCutter(engine, DELAY_MS, 0));
    }

    private static List<RecordingListener.Result> recognise(SpeechEngine engine) {
        AtomicLong fed = new AtomicLong();
        RecordingListener listener = new RecordingListener(fed::get);
        try (RecognitionStream stream = engine.openStream(new StreamOptions("en-US", List.of()), listener)) {
            int chunk = 1_600; // 100 ms, as the ingest clients send it
            short[] buffer = new short[chunk];
            for (int i = 0; i < speech.length; i += chunk) {
                int length = Math.min(chunk, speech.length - i);
                System.arraycopy(speech, i, buffer, 0, length);
                fed.set((i + length) * 1000L / RATE);
                stream.acceptAudio(buffer, length);
            }
            stream.finish();
        }
        return listener.results();
    }

    @Test
    void noFinalComesLaterThanAboutThreeSecondsAfterItsLastWord() {
        List<Seen> before = replay(results);
        List<Seen> after = replay(cutResults);
        long p95Before = p95(latencies(before));
        long p95After = p95(latencies(after));
        String engineText = cutResults.stream().filter(RecordingListener.Result::isFinal)
                .flatMap(r -> r.hypothesis().words().stream()).map(w -> w.word()).collect(Collectors.joining(" "));
        double werBefore = WordErrorRate.of(reference, text(before));
        double werAfter = WordErrorRate.of(reference, text(after));
        long engineFinals = results.stream().filter(RecordingListener.Result::isFinal).count();
        long cutFinals = cutResults.stream().filter(RecordingListener.Result::isFinal).count();
        System.out.printf("audio %d ms, engine finals %d, cut %d; finals before %d, after %d; final latency p95 before %d ms,"
                        + " after %d ms; max after %d ms; WER before %.3f, after %.3f; engine vs after %.3f%n",
                audioMs, engineFinals, cutFinals, finals(before).size(), finals(after).size(), p95Before, p95After,
                latencies(after).stream().max(Long::compare).orElseThrow(), werBefore, werAfter,
                WordErrorRate.of(engineText, text(after)));
        assertTrue(p95Before > 5_000, "without early finals this speech waits for the utterance limit: " + p95Before);
        assertTrue(p95After <= 3_500, "final latency p95 at most 3.5 s of audio: " + p95After);
        assertTrue(cutFinals > engineFinals, "the cutter ended utterances the engine would not have: " + cutFinals
                + " vs " + engineFinals);
        // each final is the engine's own, second pass and all: no worse than waiting (bench/README.md)
        assertTrue(werAfter <= werBefore + 0.01, "WER not worse: " + werAfter + " vs " + werBefore);
        assertEquals(engineText, text(after), "the finals carry the engine's words, all of them, once");
    }

    @Test
    void earlyFinalsKeepTheCaptionContract() {
        List<Seen> seen = replay(cutResults);
        long seq = seen.get(0).caption().seq() - 1;
        long lastFinalEnd = 0;
        long lastFinalUtterance = 0;
        long lastWordEnd = -1;
        for (Seen s : seen) {
            Caption c = s.caption();
            assertEquals(seq + 1, c.seq(), "seq goes up by one");
            seq = c.seq();
            assertTrue(c.startMs() >= lastFinalEnd, "nothing starts before the last final ended: " + c);
            assertTrue(c.utterance() > lastFinalUtterance || c.isFinal() && c.utterance() == lastFinalUtterance,
                    "a final closes its utterance number; later captions carry a later one (or more blocks of it): "
                            + c);
            assertEquals(1_700_000_000_000L + c.startMs(), c.startEpoch(), "start_epoch from the word times");
            assertEquals(90L * c.startMs(), c.startPts(), "start_pts from the word times");
            if (c.isFinal()) {
                assertTrue(c.endMs() >= c.startMs());
                for (CaptionWord w : c.words()) {
                    assertTrue(w.startMs() >= lastWordEnd, "no final word twice, in order: " + w + " in " + c);
                    lastWordEnd = w.endMs();
                }
                lastFinalEnd = c.endMs();
                lastFinalUtterance = c.utterance();
            }
        }
    }

    static final String TURNS_REFERENCE = String.join(" ", SENTENCES);

    /** The sentences, two flite voices in turn, 0.4 s apart, after 1 s of silence (16 kHz mono). */
    static short[] turns(Path dir) throws Exception {
        List<short[]> parts = new ArrayList<>();
        for (int i = 0; i < SENTENCES.length; i++) {
            parts.add(trimmed(Flite.say(dir, i % 2 == 0 ? "slt" : "rms", SENTENCES[i])));
        }
        int gap = RATE * 4 / 10;
        short[] out = new short[RATE + parts.stream().mapToInt(p -> p.length + gap).sum()];
        int at = RATE;
        for (short[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length + gap;
        }
        return out;
    }

    /** Without flite's own silence at either end, so the turns are 0.4 s apart, not 0.4 s plus its padding. */
    private static short[] trimmed(short[] samples) {
        int threshold = 100; // about -50 dBFS
        int first = 0;
        while (first < samples.length && Math.abs(samples[first]) < threshold) {
            first++;
        }
        int last = samples.length;
        while (last > first && Math.abs(samples[last - 1]) < threshold) {
            last--;
        }
        return java.util.Arrays.copyOfRange(samples, first, last);
    }

    /**
     * Through the server at its defaults, fed at real time: the engine's utterances are cut (more utterances than the
     * engine ends itself) and the finals still say what was said; each final's arrival minus when the audio of its
     * last word's end was sent is printed (wall clock, so the machine's load counts).
     */
    @Test
    void throughTheServerTheEnginesUtterancesAreCutAtTheTurns() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.local(Map.of("captions.max_final_delay_ms", "3000")),
                TestEngines.pocketsphinx())) {
            AudioFeeder feeder = new AudioFeeder().realtime(true).chunkMs(100);
            StreamRun run = new StreamRun(node, "turns", feeder);
            AudioFeeder.Source audio = AudioFeeder.of(speech, RATE, 1);
            run.open(audio).feedAll(audio);
            List<Long> latencies = new ArrayList<>();
            long lastEnd = 0;
            long seq = 0;
            for (CaptionClient.Received r : run.captions().received()) {
                if (!r.isCaption()) {
                    continue;
                }
                Caption c = r.caption();
                assertTrue(c.seq() > seq, "seq increasing");
                seq = c.seq();
                if (c.isFinal()) {
                    assertTrue(c.startMs() >= lastEnd, "finals never overlap: " + c);
                    lastEnd = c.endMs();
                    long lastWordEnd = c.words().get(c.words().size() - 1).endMs();
                    latencies.add(r.arrivedEpochMs() - run.sentEpochAt(Math.min(lastWordEnd, audioMs - 1)));
                }
            }
            double wer = WordErrorRate.of(reference, run.finalText());
            long utterances = run.finals().stream().mapToLong(Caption::utterance).distinct().count();
            System.out.printf("through the server: %d finals of %d utterances, final latency p95 %d ms (wall clock),"
                    + " WER %.3f%n", latencies.size(), utterances, p95(latencies), wer);
            // the wall-clock latency goes to bench/ (on a loaded machine the engine's backlog dominates it); what
            // must hold is that the server cut the engine's utterances: it ends only 8 on its own here
            assertTrue(utterances >= 14, "the engine's utterances were cut at the turns' pauses: " + utterances);
            assertTrue(wer <= 0.25, "the finals still say what was said: " + wer);
        }
    }

    private static List<Seen> replay(List<RecordingListener.Result> results) {
        TimingMap timing = new TimingMap(RATE, 90_000, 33);
        for (long ms = 0; ms <= audioMs + 1_000; ms += 100) {
            timing.append(ms * 90, 1_700_000_000_000L + ms, 1_600);
        }
        List<Seen> seen = new ArrayList<>();
        AtomicLong fed = new AtomicLong();
        CaptionBuilder builder = new CaptionBuilder("talk", "en-US", timing, LineBreaker.defaults(), 1, 1, 1, 0,
                Stability.MEDIUM, CaseAndPunctuation.NONE, caption -> seen.add(new Seen(caption, fed.get())));
        for (RecordingListener.Result r : results) {
            fed.set(r.fedMs());
            if (r.isFinal()) {
                builder.onFinal(r.hypothesis());
            } else {
                builder.onPartial(r.hypothesis());
            }
        }
        return seen;
    }

    private static List<Caption> finals(List<Seen> seen) {
        return seen.stream().map(Seen::caption).filter(Caption::isFinal).toList();
    }

    private static String text(List<Seen> seen) {
        return finals(seen).stream().map(Caption::text).collect(Collectors.joining(" "));
    }

    /** Audio fed when each final was emitted minus its last word's end. */
    private static List<Long> latencies(List<Seen> seen) {
        return seen.stream().filter(s -> s.caption().isFinal())
                .map(s -> s.fedMs() - s.caption().words().get(s.caption().words().size() - 1).endMs()).toList();
    }

    private static long p95(List<Long> values) {
        List<Long> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.95 * sorted.size()) - 1));
    }
}
