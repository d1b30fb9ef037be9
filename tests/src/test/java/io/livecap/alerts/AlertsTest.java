package io.livecap.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.livecap.asr.RecognizedWord;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream alerts end to end on a real node: raised from what a real ingest connection sends, listed by
 * {@code GET /v1/alerts}, acknowledged by {@code POST /v1/alerts/{id}/ack} and POSTed to a webhook (a local HTTP
 * server). Thresholds are set low so each alert comes within seconds.
 */
class AlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 16_000;
    private static final int CHUNK_MS = 100;
    private static final LinkedBlockingQueue<JsonNode> hooks = new LinkedBlockingQueue<>();
    private static HttpServer webhook;
    private static LivecapNode node;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            hooks.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        // every word heard at confidence 0.5: below the 0.9 floor
        List<RecognizedWord> words = List.of(new RecognizedWord("hello", 200, 500, 0.5),
                new RecognizedWord("there", 500, 800, 0.5));
        // a second utterance 8 s in: a source that sends those 8 s at once puts its start_epoch 8 s off its start
        List<RecognizedWord> later = List.of(new RecognizedWord("again", 8_000, 8_400, 0.5));
        ScriptedSpeechEngine engine = new ScriptedSpeechEngine(List.of(words, later));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("alerts.no_media_seconds", "1");
        settings.put("alerts.max_timing_drift_ms", "3000");
        settings.put("alerts.no_caption_seconds", "2");
        // every partial out as heard: steadied partials wait for more audio than a stalled source sends
        settings.put("captions.stability", "off");
        settings.put("ingest.pull_retry_first_ms", "200");
        settings.put("ingest.pull_retry_max_ms", "500");
        settings.put("ingest.pull_fail_after_attempts", "100");
        settings.put("alerts.webhook_url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        node = LivecapNode.start(TestConfig.local(settings), engine);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void noMediaIsRaisedWhenAudioStopsClearedWhenItResumesAndPostedToTheWebhook() throws Exception {
        IngestClient source = open("quiet");
        long pts = send(source, 0, 5);
        JsonNode raised = awaitAlert(a -> a.path("kind").asText().equals("no_media")
                && a.path("subject").asText().equals("quiet") && a.path("active").asBoolean());
        JsonNode hook = awaitHook(h -> h.path("kind").asText().equals("no_media")
                && h.path("subject").asText().equals("quiet") && h.path("change").asText().equals("raised"));
        assertEquals(raised.path("id").asText(), hook.path("id").asText());
        assertTrue(hook.path("message").asText().contains("no audio"), hook.toString());
        assertTrue(metric("livecap_alerts_active{kind=\"no_media\"") >= 1);
        assertTrue(metric("livecap_alerts_total{kind=\"no_media\"") >= 1);

        // an operator acknowledges it: it stays active (its condition holds) but is marked
        HttpResponse<String> ack = post("/v1/alerts/" + raised.path("id").asText() + "/ack");
        assertEquals(200, ack.statusCode(), ack.body());
        assertTrue(JSON.readTree(ack.body()).path("acknowledged").asBoolean());
        assertEquals(404, post("/v1/alerts/nosuch/ack").statusCode());
        assertEquals(405, http.send(HttpRequest.newBuilder(web("/v1/alerts/" + raised.path("id").asText()
                + "/ack")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        // audio again: it clears, and the webhook hears that too
        send(source, pts, 5);
        awaitAlert(a -> a.path("id").asText().equals(raised.path("id").asText()) && !a.path("active").asBoolean());
        awaitHook(h -> h.path("id").asText().equals(raised.path("id").asText())
                && h.path("change").asText().equals("cleared"));
        source.close();
    }

    @Test
    void aPtsJumpRaisesADiscontinuityThatAnAcknowledgementClears() throws Exception {
        IngestClient source = open("jumpy");
        long pts = send(source, 0, 5);
        send(source, pts + 10_000, 5); // ten seconds ahead of where the audio says it should be
        JsonNode jump = awaitAlert(a -> a.path("kind").asText().equals("pts_discontinuity")
                && a.path("subject").asText().equals("jumpy") && a.path("active").asBoolean());
        assertTrue(jump.path("message").asText().contains("discontinuit"), jump.toString());
        HttpResponse<String> ack = post("/v1/alerts/" + jump.path("id").asText() + "/ack");
        assertEquals(200, ack.statusCode(), ack.body());
        assertFalse(JSON.readTree(ack.body()).path("active").asBoolean(), "an event alert is done once seen");
        assertEquals(404, post("/v1/alerts/" + jump.path("id").asText() + "/ack").statusCode());
        source.close();
    }

    @Test
    void lowWordConfidenceRaisesTheConfidenceAlert() throws Exception {
        IngestClient source = open("mumbled");
        send(source, 0, 20); // 2 s: the scripted words end at 0.8 s, their final at 1.3 s
        JsonNode low = awaitAlert(a -> a.path("kind").asText().equals("low_confidence")
                && a.path("subject").asText().equals("mumbled") && a.path("active").asBoolean());
        assertTrue(low.path("message").asText().contains("0.50"), low.toString());
        source.close();
    }

    @Test
    void aSourceFasterThanRealTimeRaisesTheTimingMismatch() throws Exception {
        IngestClient source = open("hasty");
        // 10 s of audio sent as fast as the socket takes it: the first final (at 0.2 s) and the second (at 8 s)
        // arrive within moments of each other, so the second's start_epoch is ~7.8 s early for its start
        send(source, 0, 100);
        JsonNode drift = awaitAlert(a -> a.path("kind").asText().equals("timing_mismatch")
                && a.path("subject").asText().equals("hasty") && a.path("active").asBoolean());
        java.util.regex.Matcher ms = java.util.regex.Pattern.compile("drifted (-?[0-9]+) ms")
                .matcher(drift.path("message").asText());
        assertTrue(ms.find(), drift.toString());
        long driftMs = Long.parseLong(ms.group(1));
        System.out.printf("[alerts] timing_mismatch: %s%n", drift.path("message").asText());
        // the second final starts 7.8 s after the first on the media clock; on the arrival clock less than
        // the 10 s send took, and on any machine that is well under 4.8 s
        assertTrue(driftMs <= -3_000 && driftMs >= -7_800, "drift " + driftMs + " ms: " + drift);
        assertTrue(drift.path("message").asText().contains("faster than real time"), drift.toString());
        assertTrue(metric("livecap_alerts_active{kind=\"timing_mismatch\"") >= 1);
        // the streams with only one final (quiet, jumpy, mumbled) have no drift to judge
        for (String other : List.of("quiet", "jumpy", "mumbled")) {
            assertFalse(alerts().stream().anyMatch(a -> a.path("kind").asText().equals("timing_mismatch")
                    && a.path("subject").asText().equals(other)), other + " has one final: no drift");
        }
        source.close();
    }

    @Test
    void speechWithoutAFinalRaisesTranscriptLaggingUntilTheFinalComes() throws Exception {
        IngestClient source = open("lagging");
        long pts = send(source, 0, 11); // 1.1 s: "hello there" heard (partials); its final needs audio to 1.3 s
        JsonNode lagging = awaitAlert(a -> a.path("kind").asText().equals("transcript_lagging")
                && a.path("subject").asText().equals("lagging") && a.path("active").asBoolean());
        assertTrue(lagging.path("message").asText().contains("speech without a caption"), lagging.toString());
        send(source, pts, 9); // to 2 s: the final comes
        awaitAlert(a -> a.path("id").asText().equals(lagging.path("id").asText()) && !a.path("active").asBoolean());
        source.close();
    }

    @Test
    void aSourceReconnectingLeavesAMediaGapAlert() throws Exception {
        IngestClient first = open("regap");
        long pts = send(first, 0, 5);
        first.eos();
        first.awaitClose(30_000);
        long deadline = System.currentTimeMillis() + 30_000;
        while (node.sessions().get("regap").isPresent() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // polling the session list with a deadline
        }
        assertTrue(node.sessions().get("regap").isEmpty(), "the first source's session ended");
        IngestClient second = open("regap"); // the encoder is back, 2 s later on its clock
        send(second, pts + 2_000, 5);
        JsonNode gap = awaitAlert(a -> a.path("kind").asText().equals("media_gap")
                && a.path("subject").asText().equals("regap") && a.path("active").asBoolean());
        assertTrue(gap.path("message").asText().contains("media gap"), gap.toString());
        second.close();
    }

    @Test
    void aPullThatKeepsRetryingRaisesPullRestarted() throws Exception {
        // nothing listens on port 9: every attempt fails and the pull goes to retrying
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(web("/v1/streams"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"unreachable\",\"url\":\"https://127.0.0.1:9/live/index.m3u8\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, started.statusCode(), started.body());
        JsonNode restarted = awaitAlert(a -> a.path("kind").asText().equals("pull_restarted")
                && a.path("subject").asText().equals("unreachable") && a.path("active").asBoolean());
        assertTrue(restarted.path("message").asText().contains("pull restarting"), restarted.toString());
        assertTrue(metric("livecap_alerts_total{kind=\"pull_restarted\"") >= 1);
        http.send(HttpRequest.newBuilder(web("/v1/streams/unreachable")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static List<JsonNode> alerts() throws Exception {
        List<JsonNode> list = new java.util.ArrayList<>();
        JSON.readTree(http.send(HttpRequest.newBuilder(web("/v1/alerts")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("alerts").forEach(list::add);
        return list;
    }

    private static IngestClient open(String id) throws Exception {
        IngestClient source = new IngestClient(node.url("/v1/ingest/" + id));
        source.connect(10_000);
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("type", "start");
        start.put("codec", "pcm_s16le");
        start.put("sample_rate", RATE);
        start.put("channels", 1);
        start.put("timescale", 1000);
        start.put("pts_bits", 63);
        start.put("language", "en");
        source.start(start, 10_000);
        return source;
    }

    /** Sends {@code chunks} chunks of quiet noise from {@code pts} (in ms); returns the pts after them. */
    private static long send(IngestClient source, long pts, int chunks) {
        byte[] chunk = new byte[RATE * CHUNK_MS / 1000 * 2];
        for (int i = 0; i < chunk.length; i += 2) {
            chunk[i] = (byte) ((i * 31) % 64); // low but not digital silence
        }
        for (int i = 0; i < chunks; i++) {
            source.sendChunk(pts, chunk, chunk.length);
            pts += CHUNK_MS;
        }
        return pts;
    }

    private static JsonNode awaitAlert(Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = JSON.readTree(http.send(HttpRequest.newBuilder(web("/v1/alerts")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode a : last.path("alerts")) {
                if (wanted.test(a)) {
                    return a;
                }
            }
            Thread.sleep(50); // polling a condition with a deadline
        }
        throw new AssertionError("no such alert within 30 s; last list " + last);
    }

    private static JsonNode awaitHook(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode h = hooks.poll(100, TimeUnit.MILLISECONDS);
            if (h != null && wanted.test(h)) {
                return h;
            }
        }
        throw new AssertionError("the webhook never got that alert");
    }

    private static URI web(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(web(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the first series starting with {@code prefix}; a scrape without it is retried for 10 s. */
    private static double metric(String prefix) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String seen = "";
        do {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(web("/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            for (String line : scrape.body().split("\n")) {
                if (line.startsWith(prefix)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            seen = scrape.statusCode() + ": " + scrape.body().lines().filter(l -> l.contains("alerts"))
                    .limit(40).toList();
            System.out.printf("[alerts] /metrics without %s: %s%n", prefix, seen);
            Thread.sleep(200); // polling the scrape with a deadline
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("no series " + prefix + " in /metrics; last scrape " + seen);
    }
}
