package io.livecap.server;

import io.livecap.node.LivecapNode;
import io.livecap.asr.SpeechEngine;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spine end to end over real sockets: speech in through the ingest websocket in real time, captions out through
 * the caption websocket, timed across the 2^33 pts wrap.
 */
class LiveCaptioningEndToEndTest {

    private static final long WRAP_33 = 1L << 33;
    private static final long TICKS_PER_MS = 90;

    @Test
    void pocketsphinxCaptionsTheLectureInRealTimeAcrossThePtsWrap() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        String reference = SharedAudio.transcript(SharedAudio.LECTURE);
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx())) {
            // the source's clock wraps 25 s into the stream, as MPEG-TS does every 26.5 hours
            AudioFeeder feeder = new AudioFeeder().realtime(true).chunkMs(100).timescale(90_000).ptsBits(33)
                    .ptsStart(WRAP_33 - 25_000 * TICKS_PER_MS);
            StreamRun run = new StreamRun(node, "lecture", feeder);
            AudioFeeder.Source audio = AudioFeeder.of(lecture.samples(), lecture.sampleRate(), lecture.channels());
            run.open(audio).feedAll(audio);
            assertCaptionsGood(run, reference, 0.10, lecture.durationSeconds());
            Set<Boolean> sides = new HashSet<>();
            run.finals().forEach(c -> sides.add(c.startPts() > WRAP_33 / 2));
            assertEquals(Set.of(true, false), sides, "finals on both sides of the wrap");
        }
    }

    @Test
    void sphinx4CaptionsAShorterClipInRealTime() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        int seconds = 16; // four sentences; the clip ends in the pause after the fourth
        short[] clip = Arrays.copyOf(lecture.samples(), seconds * lecture.sampleRate());
        String reference = String.join(" ", Arrays.asList(SharedAudio.transcript(SharedAudio.LECTURE).split(" "))
                .subList(0, 44));
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.sphinx4())) {
            AudioFeeder feeder = new AudioFeeder().realtime(true).timescale(90_000).ptsBits(33)
                    .ptsStart(WRAP_33 - 8_000 * TICKS_PER_MS);
            StreamRun run = new StreamRun(node, "clip", feeder);
            AudioFeeder.Source audio = AudioFeeder.of(clip, lecture.sampleRate(), 1);
            run.open(audio).feedAll(audio);
            assertCaptionsGood(run, reference, 0.15, seconds);
        }
    }

    /** WER of the finals, partials before finals, seq without gaps, and every final stamped from its first sample. */
    static void assertCaptionsGood(StreamRun run, String reference, double maxWer, double durationSeconds) {
        List<Caption> all = run.captions().captions();
        List<Caption> finals = run.finals();
        assertFalse(finals.isEmpty(), "no final captions");
        double wer = WordErrorRate.of(reference, run.finalText());
        System.out.printf("WER %.1f %% over %d finals, %d captions%n", wer * 100, finals.size(), all.size());
        assertTrue(wer <= maxWer, "WER " + wer + ": " + run.finalText());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).seq(), "seq has no gaps");
        }
        // steadied partials (captions.stability) show a word only once it is committed: a short utterance may be
        // final before any of its words is, so most finals, not every one, follow a partial of their own
        Set<Long> utterancesWithPartials = new HashSet<>();
        List<Long> finalsWithoutPartial = new java.util.ArrayList<>();
        for (Caption c : all) {
            if (!c.isFinal()) {
                utterancesWithPartials.add(c.utterance());
            } else if (!utterancesWithPartials.contains(c.utterance())) {
                finalsWithoutPartial.add(c.seq());
            }
        }
        assertTrue(finalsWithoutPartial.size() * 4 <= finals.size(),
                "finals without a partial before them (seq): " + finalsWithoutPartial + " of " + finals.size());
        long previousStart = -1;
        List<Long> lateness = new java.util.ArrayList<>();
        for (Caption c : finals) {
            assertTrue(c.startMs() >= previousStart && c.endMs() >= c.startMs()
                    && c.endMs() <= durationSeconds * 1000 + 50, "final times " + c.startMs() + "-" + c.endMs());
            previousStart = c.startMs();
            long expected = run.sentPtsAt(c.startMs());
            long error = Math.floorMod(c.startPts() - expected + WRAP_33 / 2, WRAP_33) - WRAP_33 / 2;
            assertTrue(Math.abs(error) <= TICKS_PER_MS, "start_pts " + c.startPts() + " for start " + c.startMs()
                    + " ms; the source sent " + expected + " for that sample");
            long late = c.startEpoch() - run.sentEpochAt(c.startMs());
            // never before its chunk left the source; later only by the network and the server's read (which
            // back-pressure can hold up to its 2 s high-water mark when the machine is overloaded)
            assertTrue(late >= -1 && late < 2_500, "start_epoch " + late + " ms after the chunk was sent");
            lateness.add(late);
            assertEquals(c.words().get(0).startMs(), c.startMs());
        }
        lateness.sort(null);
        assertTrue(lateness.get(lateness.size() / 2) < 150, "median start_epoch lateness " + lateness);
    }

    @Test
    void stereo44kFlacThroughFeedIsAcceptedAndConverted() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx());
             CaptionClient captions = new CaptionClient(node.url("/v1/captions/jfk"))) {
            captions.connect(10_000);
            int exit = io.livecap.cli.Main.commandLine().execute("feed", SharedAudio.file(SharedAudio.JFK).toString(),
                    "--url", node.url("/v1/ingest/jfk").toString(), "--timescale", "1000");
            assertEquals(0, exit, "feed exit code");
            captions.awaitEos(60_000);
            List<Caption> finals = captions.finals();
            assertFalse(finals.isEmpty(), "the converted speech produced captions");
            // 11.0 s of 44.1 kHz stereo arrived as 11.0 s of audio: times stay inside it
            assertTrue(finals.get(finals.size() - 1).endMs() <= 11_100, "times beyond the audio");
            // the CMU model is weak on this old broadcast, but its key words come through
            String text = String.join(" ", finals.stream().map(Caption::text).toList());
            assertTrue(text.contains("country"), text);
        }
    }

    @Test
    void stereo48kPcmIsDownmixedAndResampled() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        int seconds = 12;
        short[] mono16k = Arrays.copyOf(lecture.samples(), seconds * 16_000);
        short[] mono48k = new io.livecap.audio.Resampler(16_000, 48_000).process(mono16k, mono16k.length);
        short[] stereo = new short[mono48k.length * 2];
        for (int i = 0; i < mono48k.length; i++) {
            stereo[2 * i] = mono48k[i];
            stereo[2 * i + 1] = (short) (mono48k[i] / 2); // a quieter right channel, as real stereo often is
        }
        String reference = "the committee will meet on tuesday to discuss the new budget the president said the"
                + " government would raise taxes next year students should read the first three chapters before"
                + " the next lecture";
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx())) {
            StreamRun run = new StreamRun(node, "stereo48k", new AudioFeeder().chunkMs(20));
            AudioFeeder.Source audio = AudioFeeder.of(stereo, 48_000, 2);
            run.open(audio).feedAll(audio);
            double wer = WordErrorRate.of(reference, run.finalText());
            assertTrue(wer <= 0.10, "WER " + wer + ": " + run.finalText());
            assertTrue(run.finals().get(run.finals().size() - 1).endMs() <= seconds * 1000);
        }
    }
}
