package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.WavAudio;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.CapturedLogs;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code limits} section holds under a client that takes what it can: caps answer {@code server_busy} (1013 /
 * 503), a silent source is closed, feeds for ids nobody streams are dropped, a huge language is refused, a source
 * whose pts jump on every chunk costs a warning a second, not one per chunk.
 */
class ResourceCapsTest {

    private static final int MAX_INGEST = 6;
    private static final int MAX_PER_STREAM = 3;
    private static final String REFERENCE = "the committee will meet on tuesday to discuss the new budget the"
            + " president said the government would raise taxes next year students should read the first three"
            + " chapters before the next lecture";
    private static LivecapNode node;
    private static WavAudio lecture;

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.local(Map.of("limits.max_ingest_sessions", String.valueOf(MAX_INGEST),
                "limits.max_subscribers_per_stream", String.valueOf(MAX_PER_STREAM),
                "limits.start_timeout_seconds", "2", "limits.max_pulls", "1",
                "limits.idle_timeout_seconds", "2")), TestEngines.pocketsphinx());
        lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static Map<String, Object> pcmStart() {
        return Map.of("type", "start", "codec", "pcm_s16le", "sample_rate", 16_000, "channels", 1);
    }

    private static IngestClient connect(String id) throws Exception {
        IngestClient client = new IngestClient(node.url("/v1/ingest/" + id));
        client.connect(5_000);
        return client;
    }

    private static long rssKb() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static URI http(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    private static JsonNode errorOf(IngestClient client) {
        return client.messages().stream().filter(m -> m.path("type").asText().equals("error")).findFirst()
                .orElseThrow(() -> new AssertionError("no error message; got " + client.messages()));
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutMs + " ms: " + what);
            }
            try {
                Thread.sleep(20); // polling a condition with a deadline, not waiting for time to pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void idleSessionsHitTheCapTheNextIsBusyAndARealStreamKeepsCaptioning() throws Exception {
        short[] clip = Arrays.copyOf(lecture.samples(), 12 * 16_000);
        StreamRun real = new StreamRun(node, "capped-real", new AudioFeeder().realtime(true));
        AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
        real.open(audio);
        CompletableFuture<Void> realDone = CompletableFuture.runAsync(() -> {
            try {
                real.feedAll(audio);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<IngestClient> idle = new ArrayList<>();
        try {
            long rssBefore = rssKb();
            for (int i = 1; i < MAX_INGEST; i++) { // the real stream holds one slot
                IngestClient client = connect("idle-" + i);
                client.start(pcmStart(), 5_000); // then sends nothing more
                idle.add(client);
            }
            for (int i = 1; i < MAX_INGEST; i++) {
                String id = "idle-" + i;
                await(id + " is live", 30_000, () -> node.sessions().get(id)
                        .map(session -> session.state() == io.livecap.session.SessionState.LIVE).orElse(false));
            }
            // an idle session holds no recogniser (IdleRecognizerTest measures the memory); the real stream one
            assertTrue(node.sessions().recognizersOpen() <= 1, "recognisers open: " + node.sessions().recognizersOpen());
            System.out.printf("idle sessions: RSS %d -> %d MB for %d sessions that only sent start%n",
                    rssBefore >> 10, rssKb() >> 10, MAX_INGEST - 1);
            try (IngestClient over = new IngestClient(node.url("/v1/ingest/one-too-many"))) {
                try {
                    over.connect(5_000); // the refusal may come before connect returns, or just after
                } catch (java.io.IOException refused) {
                    assertTrue(refused.getMessage().contains("server_busy"), refused.getMessage());
                }
                IngestClient.Closed closed = over.awaitClose(5_000);
                assertEquals(1013, closed.code(), "past the cap: try again later");
                assertEquals("server_busy", errorOf(over).path("code").asText());
                assertTrue(errorOf(over).path("message").asText().contains(String.valueOf(MAX_INGEST)));
            }
            idle.remove(0).close(); // a slot comes free (its session ends once the server saw the close) ...
            await("idle-1's source is gone", 30_000, () -> node.sessions().get("idle-1").isEmpty());
            try (IngestClient next = connect("after-one-left")) {
                JsonNode ready = next.start(pcmStart(), 5_000); // ... and the next source gets it
                assertEquals("ready", ready.path("type").asText());
            }
            realDone.get(120, TimeUnit.SECONDS);
            double wer = WordErrorRate.of(REFERENCE, real.finalText());
            assertTrue(wer <= 0.10, "the real stream beside the idle ones suffered: WER " + wer);
        } finally {
            idle.forEach(IngestClient::close);
        }
    }

    @Test
    void aSourceThatNeverSendsStartIsClosedWithAReason() throws Exception {
        try (IngestClient silent = connect("silent")) {
            long t0 = System.nanoTime();
            IngestClient.Closed closed = silent.awaitClose(10_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(1008, closed.code());
            assertEquals("start_timeout", errorOf(silent).path("code").asText());
            assertTrue(ms >= 1_500 && ms < 6_000, "closed after the 2 s start timeout, took " + ms + " ms");
        }
    }

    @Test
    void aLongOrMalformedLanguageIsRefusedAndAGoodTagIsKept() throws Exception {
        String huge = "x".repeat(200_000);
        for (String bad : List.of(huge, "en-US-" + "a".repeat(40), "en US", "<script>", "e")) {
            try (IngestClient client = connect("lang")) {
                Map<String, Object> start = new java.util.HashMap<>(pcmStart());
                start.put("language", bad);
                assertThrows(java.io.IOException.class, () -> client.start(start, 5_000));
                assertEquals(1007, client.awaitClose(5_000).code());
                JsonNode error = errorOf(client);
                assertEquals("bad_language", error.path("code").asText());
                assertTrue(error.toString().length() < 500, "the refusal does not echo the whole value back");
            }
        }
        try (IngestClient client = connect("lang-ok")) {
            Map<String, Object> start = new java.util.HashMap<>(pcmStart());
            start.put("language", "zh-Hant-TW");
            assertEquals("ready", client.start(start, 5_000).path("type").asText());
            assertEquals("zh-Hant-TW", node.sessions().get("lang-ok").orElseThrow().format().language());
        }
    }

    @Test
    void aThousandRandomCaptionIdsLeaveNoFeedsBehind() throws Exception {
        await("no feeds left from other tests", 30_000,
                () -> node.sessions().hub().feedCount() <= node.sessions().live().size());
        int baseline = node.sessions().hub().feedCount();
        int most = 0;
        HttpClient http = HttpClient.newHttpClient();
        for (int batch = 0; batch < 20; batch++) {
            List<CaptionClient> open = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                CaptionClient c = new CaptionClient(node.url("/v1/captions/" + UUID.randomUUID()));
                c.connect(5_000);
                open.add(c);
            }
            // a plain GET (no upgrade) on a random id must not leave one either
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(
                    http("/v1/captions/" + UUID.randomUUID())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(426, plain.statusCode());
            most = Math.max(most, node.sessions().hub().feedCount());
            open.forEach(CaptionClient::close);
        }
        assertTrue(most <= baseline + 51, "feeds while 50 subscribers are open: " + most);
        await("every feed of a random id is dropped once its subscriber left", 10_000,
                () -> node.sessions().hub().feedCount() <= baseline);
    }

    @Test
    void halfOpenConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        // a TCP connection that never sends a request, and a websocket subscriber that never answers a ping
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", node.port());
             java.net.Socket deaf = new java.net.Socket("127.0.0.1", node.port())) {
            deaf.getOutputStream().write(("GET /v1/captions/deaf HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            silent.setSoTimeout(10_000);
            assertEquals(-1, silent.getInputStream().read(), "the silent connection is closed");
            long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            deaf.setSoTimeout(15_000);
            byte[] all = deaf.getInputStream().readAllBytes(); // the 101, a ping, then a close 1001 and EOF
            long deafMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 101"), text);
            assertTrue(text.contains("idle timeout"), "closed with a reason: " + text);
            assertTrue(silentMs >= 1_500 && silentMs < 6_000, "silent closed after " + silentMs + " ms");
            assertTrue(deafMs >= 3_500 && deafMs < 10_000, "deaf closed after " + deafMs + " ms (ping, then close)");
        }
    }

    @Test
    void subscribersPerStreamAreCapped() throws Exception {
        List<CaptionClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_STREAM; i++) {
                CaptionClient c = new CaptionClient(node.url("/v1/captions/popular"));
                c.connect(5_000);
                open.add(c);
            }
            CaptionClient over = new CaptionClient(node.url("/v1/captions/popular"));
            open.add(over);
            over.connect(5_000);
            ExecutionException closed = assertThrows(ExecutionException.class, () -> over.awaitEos(5_000));
            assertTrue(closed.getCause().getMessage().contains("1013"), closed.getCause().getMessage());
            assertTrue(over.received().stream().anyMatch(m -> m.json().path("code").asText().equals("server_busy")));
        } finally {
            open.forEach(CaptionClient::close);
        }
    }

    @Test
    void ptsJumpingOnEveryChunkIsWarnedAboutOncePerIntervalWithACount() throws Exception {
        int chunks = 5_000;
        byte[] pcm = new byte[320]; // 10 ms of silence
        try (CapturedLogs logs = new CapturedLogs(); IngestClient source = connect("jumpy")) {
            source.start(pcmStart(), 5_000);
            long t0 = System.nanoTime();
            for (int i = 0; i < chunks; i++) {
                source.sendChunk(i % 2 == 0 ? 0 : 90_000_000L, pcm, pcm.length); // every chunk jumps
            }
            source.eos();
            assertEquals(1000, source.awaitClose(60_000).code());
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<JsonNode> warnings = source.messages().stream()
                    .filter(m -> m.path("code").asText().equals("pts_discontinuity")).toList();
            List<String> lines = logs.lines().stream().filter(l -> l.contains("stream jumpy: ")
                    && l.contains("pts discontinuit")).toList();
            String summary = lines.stream().filter(l -> l.contains("in all")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary of the jumps left out: " + lines));
            System.out.printf("pts flood: %d chunks in %.1f s -> %d warnings, %d log lines; %s%n",
                    chunks, seconds, warnings.size(), lines.size(), summary);
            assertFalse(warnings.isEmpty(), "the source is told");
            assertTrue(warnings.size() <= seconds + 2, warnings.size() + " warnings in " + seconds + " s");
            assertTrue(lines.size() <= seconds + 3, lines.size() + " log lines in " + seconds + " s");
            // every chunk after the first jumped; the count says so even though the lines did not
            assertTrue(summary.contains("of " + (chunks - 1) + " in all"), summary);
        }
    }

    @Test
    void pullsPastTheCapAre503WithRetryAfter() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"id\":\"pull-%s\",\"url\":\"rtmp://127.0.0.1:1/live/x\"}";
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(http("/v1/streams"))
                .POST(HttpRequest.BodyPublishers.ofString(body.formatted("a"))).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            assertEquals(201, first.statusCode(), first.body());
            HttpResponse<String> second = http.send(HttpRequest.newBuilder(http("/v1/streams"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.formatted("b"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, second.statusCode(), second.body());
            assertTrue(second.headers().firstValue("Retry-After").isPresent());
            assertTrue(second.body().contains("max_pulls"), second.body());
        } finally {
            http.send(HttpRequest.newBuilder(http("/v1/streams/pull-a")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
