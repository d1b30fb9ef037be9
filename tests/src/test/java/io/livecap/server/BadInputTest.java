package io.livecap.server;

import io.livecap.node.LivecapNode;
import io.livecap.captions.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input closes the offending stream with a clear error and the contract's close status, and loses nothing:
 * a healthy stream captioning in real time on the same server the whole while keeps going.
 */
class BadInputTest {

    private static LivecapNode node;
    private static WavAudio lecture;
    private static StreamRun healthy;
    private static CompletableFuture<Void> healthyDone;
    private static final String HEALTHY_REFERENCE = "the committee will meet on tuesday to discuss the new budget the"
            + " president said the government would raise taxes next year students should read the first three"
            + " chapters before the next lecture";

    @BeforeAll
    static void startHealthyStream() throws Exception {
        node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx());
        lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        short[] clip = Arrays.copyOf(lecture.samples(), 12 * 16_000);
        healthy = new StreamRun(node, "healthy", new AudioFeeder().realtime(true));
        AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
        healthy.open(audio);
        healthyDone = CompletableFuture.runAsync(() -> {
            try {
                healthy.feedAll(audio);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void healthyStreamKeptCaptioning() throws Exception {
        if (node == null) {
            return; // skipped: no engine here
        }
        try {
            healthyDone.get();
            double wer = WordErrorRate.of(HEALTHY_REFERENCE, healthy.finalText());
            assertTrue(wer <= 0.10, "the healthy stream suffered: WER " + wer + " " + healthy.finalText());
            assertTrue(healthy.source().messages().stream().noneMatch(m -> m.path("type").asText().equals("error")));
        } finally {
            node.close();
        }
    }

    private static IngestClient connect(String id) throws Exception {
        IngestClient client = new IngestClient(node.url("/v1/ingest/" + id));
        client.connect(5_000);
        return client;
    }

    private static Map<String, Object> start(int rate, int channels) {
        return Map.of("type", "start", "codec", "pcm_s16le", "sample_rate", rate, "channels", channels,
                "timescale", 90_000, "pts_bits", 33);
    }

    private static JsonNode errorOf(IngestClient client) {
        return client.messages().stream().filter(m -> m.path("type").asText().equals("error")).findFirst()
                .orElseThrow(() -> new AssertionError("no error message; got " + client.messages()));
    }

    private static void assertRejected(IngestClient client, String code, int status) throws Exception {
        IngestClient.Closed closed = client.awaitClose(10_000);
        assertEquals(status, closed.code(), "close status");
        JsonNode error = errorOf(client);
        assertEquals(code, error.path("code").asText());
        assertFalse(error.path("message").asText().isBlank(), "the error says why");
    }

    @Test
    void binaryBeforeStartIsAPolicyViolation() throws Exception {
        try (IngestClient client = connect("early-binary")) {
            client.sendChunk(0, new byte[320], 320);
            assertRejected(client, "not_started", 1008);
        }
    }

    @Test
    void unknownCodecIsUnsupportedData() throws Exception {
        try (IngestClient client = connect("opus")) {
            client.sendText("{\"type\":\"start\",\"codec\":\"opus\",\"sample_rate\":48000,\"channels\":2}");
            assertRejected(client, "unsupported_codec", 1003);
            assertTrue(errorOf(client).path("message").asText().contains("opus"));
        }
    }

    @Test
    void garbageJsonIsAnInvalidPayload() throws Exception {
        try (IngestClient client = connect("garbage")) {
            client.sendText("{\"type\":\"start\", sample_rate: 48000");
            assertRejected(client, "bad_json", 1007);
        }
    }

    @Test
    void chunkOverTheSizeLimitIsTooBig() throws Exception {
        try (IngestClient client = connect("huge")) {
            client.start(start(48_000, 2), 5_000);
            byte[] tooBig = new byte[1_048_576 + 4];
            client.sendChunk(0, tooBig, tooBig.length);
            assertRejected(client, "chunk_too_big", 1009);
        }
    }

    @Test
    void chunkThatIsNotWholeFramesIsAnInvalidPayload() throws Exception {
        try (IngestClient client = connect("odd")) {
            client.start(start(48_000, 2), 5_000);
            client.sendChunk(0, new byte[1001], 1001);
            assertRejected(client, "bad_chunk", 1007);
        }
    }

    @Test
    void ptsGoingBackwardsIsADiscontinuityAndCaptionsStayContinuous() throws Exception {
        short[] clip = Arrays.copyOf(lecture.samples(), 12 * 16_000);
        StreamRun run = new StreamRun(node, "backwards", new AudioFeeder());
        run.open(AudioFeeder.of(clip, 16_000, 1));
        IngestClient source = run.source();
        byte[] pcm = new byte[1600 * 2];
        long resetAtMs = 6_000;
        for (int chunk = 0; chunk < clip.length / 1600; chunk++) {
            for (int i = 0; i < 1600; i++) {
                short s = clip[chunk * 1600 + i];
                pcm[2 * i] = (byte) s;
                pcm[2 * i + 1] = (byte) (s >> 8);
            }
            long ms = chunk * 100L;
            // the encoder restarts its clock 6 s in: pts fall back to 0
            long pts = ms < resetAtMs ? 10_000_000 + ms * 90 : (ms - resetAtMs) * 90;
            source.sendChunk(pts, pcm, pcm.length);
        }
        source.eos();
        run.captions().awaitEos(60_000);
        JsonNode warning = source.messages().stream().filter(m -> m.path("type").asText().equals("warning"))
                .findFirst().orElseThrow(() -> new AssertionError("no discontinuity warning"));
        assertEquals("pts_discontinuity", warning.path("code").asText());
        assertEquals(resetAtMs, warning.path("at").asLong());
        assertEquals(1000, source.awaitClose(10_000).code(), "the stream goes on and ends normally");
        List<Caption> finals = run.finals();
        assertTrue(WordErrorRate.of(HEALTHY_REFERENCE, run.finalText()) <= 0.10, run.finalText());
        for (Caption c : finals) {
            long expected = c.startMs() < resetAtMs ? 10_000_000 + c.startMs() * 90 : (c.startMs() - resetAtMs) * 90;
            assertEquals(expected, c.startPts(), 90, "start_pts follows the source's clock through the reset");
        }
        assertTrue(finals.get(finals.size() - 1).startMs() > resetAtMs, "start stays continuous after the reset");
    }

    @Test
    void clientVanishingMidStreamStillDeliversItsCaptionsAndEndsTheStream() throws Exception {
        short[] clip = Arrays.copyOf(lecture.samples(), 8 * 16_000); // two sentences, then the source dies
        try (CaptionClient captions = new CaptionClient(node.url("/v1/captions/vanish"))) {
            captions.connect(5_000);
            IngestClient source = connect("vanish");
            AudioFeeder feeder = new AudioFeeder();
            AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
            source.start(feeder.startMessage(audio), 5_000);
            feeder.feedChunks(audio, source, false);
            StreamRun.awaitAudio(node, "vanish", 8_000); // a vanishing client drops what it had not sent yet
            source.vanish();
            JsonNode eos = captions.awaitEos(30_000);
            assertEquals("source disconnected", eos.path("reason").asText());
            String text = String.join(" ", captions.finals().stream().map(Caption::text).toList());
            assertTrue(WordErrorRate.of("the committee will meet on tuesday to discuss the new budget the president"
                    + " said the government would raise taxes next year", text) <= 0.15, text);
            // the eos goes out as the session finishes; it leaves the live set right after
            long deadline = System.currentTimeMillis() + 10_000;
            while (node.sessions().live().stream().anyMatch(s -> s.streamId().equals("vanish"))) {
                assertTrue(System.currentTimeMillis() < deadline, "the vanished stream is still live");
                Thread.sleep(20); // polling a condition with a deadline, not waiting for time to pass
            }
        }
    }

    @Test
    void aSecondSourceForALiveStreamIsRefused() throws Exception {
        try (IngestClient first = connect("twice"); IngestClient second = connect("twice")) {
            first.start(start(16_000, 1), 5_000);
            second.sendText(Json.write(start(16_000, 1)));
            assertRejected(second, "stream_busy", 1008);
            assertTrue(first.isOpen(), "the first source is untouched");
            first.eos();
            assertEquals(1000, first.awaitClose(10_000).code());
        }
    }
}
