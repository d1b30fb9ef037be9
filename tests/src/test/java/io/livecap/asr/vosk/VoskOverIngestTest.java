package io.livecap.asr.vosk;

import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import io.livecap.client.AudioFeeder;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.StreamRun;
import io.livecap.config.LivecapConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production engine through livecap's real path: the ingest websocket, the session, the caption websocket,
 * with the real libvosk decoding a generated model whose words are known tone bursts.
 */
class VoskOverIngestTest {

    @TempDir
    static Path models;
    private static LivecapNode node;

    @BeforeAll
    static void startServerWithVosk() throws Exception {
        TestVoskModel.generate(models.resolve("beep-boop"));
        // auto picks vosk because a model is present: the selection path vendors rely on. The engine's words and
        // partials as they come: tone bursts are not sentences to case and punctuate, and a burst is over before
        // a steadying partial would show it
        LivecapConfig config = LivecapConfig.load(null, Map.of(), Map.of("server.port", "0",
                "server.host", "127.0.0.1", "engine.vosk_model", models.toString(),
                "store.url", "jdbc:h2:mem:vosk-over-ingest;DB_CLOSE_DELAY=-1", "auth.enabled", "false",
                "captions.punctuation", "off", "captions.stability", "off"));
        node = LivecapNode.start(config);
        assertEquals("vosk", node.engine().name());
    }

    @AfterAll
    static void stop() {
        node.closeWithEngine();
    }

    private static ToneBursts sequence() {
        return new ToneBursts().silence(500).beep(600).silence(700).boop(500).silence(700).beep(400)
                .silence(1500).boop(600).silence(1200);
    }

    private static StreamRun run(String id, ToneBursts bursts, int rate, int channels) throws Exception {
        short[] mono = bursts.samples();
        short[] samples = rate == 16_000 ? mono : new io.livecap.audio.Resampler(16_000, rate).process(mono, mono.length);
        if (channels == 2) {
            short[] stereo = new short[samples.length * 2];
            for (int i = 0; i < samples.length; i++) {
                stereo[2 * i] = samples[i];
                stereo[2 * i + 1] = samples[i];
            }
            samples = stereo;
        }
        AudioFeeder feeder = new AudioFeeder().chunkMs(40).timescale(90_000).ptsBits(33)
                .ptsStart((1L << 33) - 3 * 90_000); // wraps 3 s in
        StreamRun run = new StreamRun(node, id, feeder);
        AudioFeeder.Source audio = AudioFeeder.of(samples, rate, channels);
        return run.open(audio).feedAll(audio);
    }

    private static void assertBurstsCaptioned(StreamRun run, ToneBursts bursts) {
        List<CaptionWord> words = new ArrayList<>();
        run.finals().forEach(c -> words.addAll(c.words()));
        assertEquals(bursts.words(), words.stream().map(CaptionWord::word).toList(), "words in order");
        for (int i = 0; i < words.size(); i++) {
            ToneBursts.Burst burst = bursts.bursts().get(i);
            assertEquals(burst.startMs(), words.get(i).startMs(), 100, "start of " + burst);
            assertEquals(burst.endMs(), words.get(i).endMs(), 100, "end of " + burst);
        }
        List<Caption> all = run.captions().captions();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).seq());
        }
        for (Caption fin : run.finals()) {
            assertTrue(all.stream().anyMatch(c -> !c.isFinal() && c.utterance() == fin.utterance()
                    && c.seq() < fin.seq()), "a partial before final " + fin.seq());
            long expected = run.sentPtsAt(fin.startMs());
            long error = Math.floorMod(fin.startPts() - expected + (1L << 32), 1L << 33) - (1L << 32);
            assertTrue(Math.abs(error) <= 90, "start_pts " + fin.startPts() + " vs sent " + expected);
        }
    }

    @Test
    void burstsComeOutAsKnownWordsWithTimesAndPtsThroughTheIngestWebsocket() throws Exception {
        ToneBursts bursts = sequence();
        assertBurstsCaptioned(run("tones", bursts, 16_000, 1), bursts);
    }

    @Test
    void twoStreamsShareOneModelInParallel() throws Exception {
        ToneBursts a = sequence();
        ToneBursts b = new ToneBursts().silence(300).boop(500).silence(800).boop(500).silence(800).beep(700)
                .silence(1200);
        CompletableFuture<StreamRun> first = CompletableFuture.supplyAsync(() -> unchecked(() -> run("one", a, 48_000, 2)));
        CompletableFuture<StreamRun> second = CompletableFuture.supplyAsync(() -> unchecked(() -> run("two", b, 16_000, 1)));
        assertBurstsCaptioned(first.get(), a);
        assertBurstsCaptioned(second.get(), b);
    }

    /**
     * 200 sources that each send part of an utterance and vanish, through the websocket and the session, in a JVM of
     * its own ({@link IngestChurn}): resident memory may grow by no more than 20 open streams cost.
     */
    @Test
    void sourcesVanishingMidUtteranceFreeTheirRecognizers() throws Exception {
        short[] part = java.util.Arrays.copyOf(sequence().samples(), 16_000); // 1 s: the first burst, unfinished
        Path pcm = models.resolve("churn.pcm");
        RecognizerChurn.writePcm(pcm, part);
        Map<String, Long> rss = VoskDecodingContract.churn(IngestChurn.class, models.toString(), pcm.toString(), "200");
        long streamsCost = rss.get("held") - rss.get("churned");
        long growth = rss.get("churned") - rss.get("warm");
        long bound = Math.max(streamsCost, 512);
        System.out.printf("ingest churn: VmRSS after warm-up %d kB, after 200 vanished sources %d kB: grew %d kB"
                + " (bound %d kB = 20 streams held open)%n", rss.get("warm"), rss.get("churned"), growth, bound);
        assertTrue(growth <= bound, "resident memory grew by " + growth + " kB over 200 vanished sources, more than "
                + "20 open streams cost (" + bound + " kB)");
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Step<T> step) {
        try {
            return step.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
