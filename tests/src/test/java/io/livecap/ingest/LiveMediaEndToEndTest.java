package io.livecap.ingest;

import io.livecap.testkit.TestMedia;
import io.livecap.testkit.LiveEncoder;
import io.livecap.testkit.RtmpServer;
import io.livecap.testkit.HlsServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Caption;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.captions.Json;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.Sox;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real live media through the real ingest path and real ffmpeg: broken stereo wrapped as AAC in MPEG-TS and FLV is
 * repaired and captioned, and a pulled RTMP source that drops for 5 s is followed through the gap.
 */
class LiveMediaEndToEndTest {

    private static final long SPEECH_ONSET_MS = 200;

    @TempDir
    static Path dir;
    private static LivecapNode node;
    private static String reference;

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(quickPulls(), TestEngines.pocketsphinx());
        reference = SharedAudio.transcript(SharedAudio.LECTURE);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** The test server's settings with fast retries, giving up after two permanent errors or 20 s without audio. */
    private static io.livecap.config.LivecapConfig quickPulls() {
        return io.livecap.testkit.TestConfig.local(Map.of("ingest.pull_retry_first_ms", "100",
                "ingest.pull_retry_max_ms", "300", "ingest.pull_fail_after_attempts", "2",
                "ingest.pull_fail_without_audio_seconds", "20"));
    }

    /** A sox stereo variant of the lecture, encoded as AAC in {@code format} by the bundled ffmpeg. */
    private static Path encodedVariant(String name, String format, String... remix) throws Exception {
        Path wav = Sox.run(SharedAudio.file(SharedAudio.LECTURE), dir.resolve(name + ".wav"), remix);
        Path out = dir.resolve(name + "." + format);
        Process ffmpeg = Ffmpeg.command(List.of("-nostdin", "-loglevel", "error", "-y", "-i", wav.toString(),
                "-c:a", "aac", "-b:a", "96k", "-f", format, out.toString())).redirectErrorStream(true).start();
        String log = new String(ffmpeg.getInputStream().readAllBytes());
        assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0, log);
        return out;
    }

    private static CaptionClient pushCompressed(String id, String codec, long timescale, int ptsBits,
                                                List<TestMedia.Piece> pieces) throws Exception {
        CaptionClient captions = new CaptionClient(node.url("/v1/captions/" + id));
        captions.connect(5_000);
        try (IngestClient source = new IngestClient(node.url("/v1/ingest/" + id))) {
            source.connect(5_000);
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("type", "start");
            start.put("codec", codec);
            start.put("timescale", timescale);
            start.put("pts_bits", ptsBits);
            source.start(start, 10_000);
            for (TestMedia.Piece piece : pieces) {
                source.sendChunk(piece.pts(), piece.bytes(), piece.bytes().length);
            }
            source.eos();
            captions.awaitEos(120_000);
        }
        return captions;
    }

    private static List<JsonNode> health(CaptionClient captions) {
        return captions.received().stream().map(CaptionClient.Received::json)
                .filter(j -> j.path("type").asText().equals("audio_health")).toList();
    }

    private static String text(CaptionClient captions) {
        return String.join(" ", captions.finals().stream().map(Caption::text).toList());
    }

    @Test
    void invertedRightChannelInAacMpegtsIsRepairedAndCaptioned() throws Exception {
        Path ts = encodedVariant("inverted", "mpegts", "remix", "1", "1v-1");
        CaptionClient captions = pushCompressed("ts-inverted", "mpegts", 90_000, 33, TestMedia.tsPieces(ts, 4));
        JsonNode event = health(captions).stream().filter(e -> e.path("kind").asText().equals("phase_inverted"))
                .findFirst().orElseThrow(() -> new AssertionError("no phase inversion: " + health(captions)));
        assertTrue(event.path("start").asLong() <= SPEECH_ONSET_MS + 3000, event.toString());
        double wer = WordErrorRate.of(reference, text(captions));
        assertTrue(wer <= 0.12, "WER " + wer + ": " + text(captions));
        long firstPesPts = TestMedia.tsPesPts(ts).get(0);
        Caption first = captions.finals().get(0);
        assertEquals(firstPesPts + first.startMs() * 90, first.startPts(), 90 * 3,
                "start_pts on the container's own clock");
    }

    @Test
    void deadLeftChannelInAacFlvIsDetectedAndTheRightUsed() throws Exception {
        Path flv = encodedVariant("dead-left", "flv", "remix", "0", "1");
        CaptionClient captions = pushCompressed("flv-dead-left", "flv", 1000, 32, TestMedia.flvPieces(flv, 5));
        JsonNode event = health(captions).stream().filter(e -> e.path("kind").asText().equals("left_dead"))
                .findFirst().orElseThrow(() -> new AssertionError("no dead channel: " + health(captions)));
        assertTrue(event.path("start").asLong() <= io.livecap.audio.AudioHealth.DEAD_WINDOW_MS + 1000, event.toString());
        assertEquals("right", event.path("action").asText());
        double wer = WordErrorRate.of(reference, text(captions));
        assertTrue(wer <= 0.12, "WER " + wer + ": " + text(captions));
    }

    @Test
    void garbageInAContainerStreamClosesItWithADecoderError() throws Exception {
        byte[] garbage = new byte[3 << 20];
        new java.util.Random(7).nextBytes(garbage);
        try (IngestClient source = new IngestClient(node.url("/v1/ingest/garbage-ts"))) {
            source.connect(5_000);
            source.start(Map.of("type", "start", "codec", "mpegts"), 10_000);
            for (int at = 0; at < garbage.length; at += 64 * 1024) {
                source.sendChunk(0, java.util.Arrays.copyOfRange(garbage, at, at + 64 * 1024), 64 * 1024);
            }
            IngestClient.Closed closed = source.awaitClose(30_000);
            assertEquals(1007, closed.code());
            assertTrue(source.messages().stream().anyMatch(m -> m.path("code").asText().equals("decoder_failed")),
                    source.messages().toString());
        }
    }

    @Test
    void pulledRtmpSourceThatDropsFor5sKeepsCaptioningAndReportsTheGap() throws Exception {
        assumeTrue(RtmpServer.available(), RtmpServer.MISSING);
        Path flv = TestMedia.lecture("flv", 0);
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://localhost:" + node.port() + "/v1/streams";
        try (RtmpServer rtmp = RtmpServer.start(dir);
             CaptionClient captions = new CaptionClient(node.url("/v1/captions/rtmp-event"))) {
            captions.connect(5_000);
            String key = "ev-key-42";
            LiveEncoder publisher = LiveEncoder.start(flv, List.of("-t", "14", "-f", "flv"),
                    rtmp.applicationUrl() + "/" + key, dir.resolve("publisher.log"));
            String body = Json.write(Map.of("id", "rtmp-event", "url", rtmp.applicationUrl(), "key", key));
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            assertTrue(!created.body().contains(key), "the key is never echoed");
            assertEquals("connecting", Json.MAPPER.readTree(created.body()).path("pull").path("state").asText(),
                    created.body());
            awaitPullState(http, api, "rtmp-event", "live");

            publisher.awaitExit(60);      // 14 s of speech, then the publisher is gone
            Thread.sleep(5_000);          // the outage itself (the scenario, not synchronisation)
            LiveEncoder again = LiveEncoder.start(flv, List.of("-t", "14", "-f", "flv"),
                    rtmp.applicationUrl() + "/" + key, dir.resolve("publisher2.log"));
            again.awaitExit(60);

            JsonNode health = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(api
                    + "/rtmp-event/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(health.path("pull").path("state").asText().matches("live|connecting"), health.toString());
            JsonNode timing = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(api
                    + "/rtmp-event/timing")).build(), HttpResponse.BodyHandlers.ofString()).body());
            HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(URI.create(api + "/rtmp-event"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stopped.statusCode(), stopped.body());
            captions.awaitEos(60_000);

            JsonNode gap = timing.path("gaps").path(0);
            assertTrue(gap.path("length_ms").asLong() >= 4_500 && gap.path("length_ms").asLong() <= 9_000,
                    "gap reported: " + timing);
            long gapAt = gap.path("at").asLong();
            List<Caption> finals = captions.finals();
            List<Caption> before = finals.stream().filter(c -> c.startMs() < gapAt).toList();
            List<Caption> after = finals.stream().filter(c -> c.startMs() >= gapAt).toList();
            assertTrue(before.size() >= 2 && after.size() >= 2, "captions on both sides of the gap: " + finals);
            assertTrue(text(captions).contains("committee"), text(captions));
            for (int i = 1; i < finals.size(); i++) {
                assertTrue(finals.get(i).startMs() >= finals.get(i - 1).startMs(), "start stays continuous");
            }
        }
    }

    @Test
    void aPullOfAMissingPlaylistIsShownFailedInTheApiTheHealthAndTheMetricsAndNeverLive() throws Exception {
        Path empty = java.nio.file.Files.createDirectories(dir.resolve("no-playlist"));
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://localhost:" + node.port() + "/v1/streams";
        try (HlsServer origin = HlsServer.start(empty)) {
            String body = Json.write(Map.of("id", "missing-hls", "url", origin.url("event.m3u8")));
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            JsonNode failed = awaitPullState(http, api, "missing-hls", "failed");
            assertTrue(failed.path("last_error").asText().contains("404"), failed.toString());
            JsonNode health = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(api
                    + "/missing-hls/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("failed", health.path("pull").path("state").asText(), health.toString());
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.port()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("livecap_pull_failures_total"), "failures counted");
            assertTrue(metrics.contains("livecap_pulls{state=\"live\"}"), "pulls by state");
        }
    }

    /** Polls {@code GET /v1/streams} until the stream's pull is in {@code state}; fails if it is ever live first. */
    private static JsonNode awaitPullState(HttpClient http, String api, String id, String state) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        List<String> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode streams = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(api)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("streams");
            for (JsonNode row : streams) {
                if (row.path("stream_id").asText().equals(id)) {
                    String now = row.path("pull").path("state").asText();
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                        seen.add(now);
                    }
                    if (now.equals(state)) {
                        return row.path("pull");
                    }
                    assertTrue(state.equals("live") || !now.equals("live"), id + " went live: " + seen);
                }
            }
            Thread.sleep(50); // poll interval
        }
        throw new AssertionError(id + " never reached " + state + "; states seen: " + seen);
    }
}
