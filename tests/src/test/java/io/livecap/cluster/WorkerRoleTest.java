package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.asr.EngineSelector;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.EngineUnavailableException;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Json;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.VoskSocketClient;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve --role worker}: only /v1/vosk, /healthz (with its capacity), /metrics and /v1/worker; everything else
 * is 404 naming the role. The remote engine decodes through it, and a full or dead pool is a clear error.
 */
class WorkerRoleTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static LivecapConfig workerConfig(int maxSessions) {
        return TestConfig.local(Map.of("cluster.role", "worker",
                "limits.max_vosk_sessions", String.valueOf(maxSessions)));
    }

    private static HttpResponse<String> call(LivecapNode node, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SpeechEngine remote(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(LivecapConfig.defaults().engine().settings());
        settings.putAll(extra);
        return EngineSelector.load("remote", new EngineSettings(settings));
    }

    /** A vosk-server client holding a session open. */
    private static final class Collected implements RecognitionListener {
        final List<String> finals = new ArrayList<>();
        int partials;

        @Override
        public void onPartial(Hypothesis partial) {
            partials++;
        }

        @Override
        public void onFinal(Hypothesis fin) {
            finals.add(fin.text());
        }
    }

    @Test
    void aWorkerServesOnlyRecognitionHealthAndMetricsAndAnnouncesItsCapacity() throws Exception {
        try (LivecapNode worker = LivecapNode.start(workerConfig(2), TestEngines.pocketsphinx())) {
            for (String[] request : new String[][]{{"GET", "/v1/streams"}, {"POST", "/v1/streams"}, {"GET", "/"},
                    {"GET", "/v1/ingest/ev1"}, {"GET", "/v1/captions/ev1"}, {"GET", "/v1/cluster"},
                    {"POST", "/v1/tokens"}, {"GET", "/v1/tasks"}}) {
                HttpResponse<String> response = call(worker, request[0], request[1]);
                assertEquals(404, response.statusCode(), request[0] + " " + request[1] + ": " + response.body());
                JsonNode body = Json.MAPPER.readTree(response.body());
                assertEquals("worker_role", body.path("code").asText(), response.body());
                assertTrue(body.path("error").asText().contains("serve --role worker")
                        && body.path("error").asText().contains(request[1]), response.body());
            }
            JsonNode health = Json.MAPPER.readTree(call(worker, "GET", "/healthz").body());
            assertEquals("worker", health.path("role").asText(), health.toString());
            assertEquals("pocketsphinx", health.path("engine").asText(), health.toString());
            assertEquals(2, health.path("max_sessions").asInt(), health.toString());
            assertEquals(0, health.path("open_sessions").asInt(), health.toString());
            JsonNode capacity = Json.MAPPER.readTree(call(worker, "GET", "/v1/worker").body());
            assertEquals(2, capacity.path("free_sessions").asInt(), capacity.toString());

            // the remote engine decodes through it, and the worker counts the session while it is open
            WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
            short[] clip = Arrays.copyOf(lecture.samples(), 8 * 16_000);
            try (SpeechEngine engine = remote(Map.of("remote_endpoints", worker.url("/v1/vosk").toString()))) {
                Collected heard = new Collected();
                try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), heard)) {
                    for (int i = 0; i < clip.length; i += 1600) {
                        stream.acceptAudio(Arrays.copyOfRange(clip, i, Math.min(clip.length, i + 1600)),
                                Math.min(1600, clip.length - i));
                    }
                    JsonNode during = Json.MAPPER.readTree(call(worker, "GET", "/v1/worker").body());
                    assertEquals(1, during.path("open_sessions").asInt(), during.toString());
                    String metrics = call(worker, "GET", "/metrics").body();
                    assertTrue(metrics.contains("livecap_worker_sessions 1.0"), metrics);
                    assertTrue(metrics.contains("livecap_worker_capacity 2.0"), metrics);
                    stream.finish();
                }
                String text = String.join(" ", heard.finals);
                String reference = "the committee will meet on tuesday to discuss the new budget the president said"
                        + " the government would raise taxes next year";
                assertTrue(heard.partials > 0, "partials came back");
                assertTrue(WordErrorRate.of(reference, text) <= 0.15, text);
            }
            WorkerProcesses.await("the session given back", Duration.ofSeconds(10), () -> openOn(worker) == 0);
        }
    }

    @Test
    void aFullWorkerRefusesClearlyAndAFullOrDeadPoolIsAClearError() throws Exception {
        assertTrue(assertThrows(EngineUnavailableException.class, () -> remote(Map.of()))
                .getMessage().contains("remote_endpoints lists no worker"));
        try (LivecapNode worker = LivecapNode.start(workerConfig(1), TestEngines.pocketsphinx());
             SpeechEngine stale = remote(Map.of("remote_endpoints", worker.url("/v1/vosk").toString(),
                     "remote_probe_ms", "600000"))) {
            VoskSocketClient first = new VoskSocketClient(worker.url("/v1/vosk"));
            assertTrue(first.connectBlocking(10, TimeUnit.SECONDS));
            WorkerProcesses.await("the first session counted", Duration.ofSeconds(10), () -> openOn(worker) == 1);

            // the worker itself: a session past its cap is told why, and closed 1013 (try again later)
            VoskSocketClient second = new VoskSocketClient(worker.url("/v1/vosk"));
            // not asserted: connectBlocking answers "is it open now?", and the refusal may have closed it already
            second.connectBlocking(10, TimeUnit.SECONDS);
            JsonNode refusal = second.answers.poll(10, TimeUnit.SECONDS);
            assertEquals("server_busy", refusal.path("code").asText(), String.valueOf(refusal));
            assertTrue(refusal.path("message").asText().contains("/v1/vosk connections"), refusal.toString());
            assertEquals(1013, second.closed.get(10, TimeUnit.SECONDS));

            // an engine that has probed the worker full refuses the stream at once, naming the pool's state
            try (SpeechEngine engine = remote(Map.of("remote_endpoints", worker.url("/v1/vosk").toString()))) {
                IllegalStateException full = assertThrows(IllegalStateException.class,
                        () -> engine.openStream(StreamOptions.of("en-US"), new Collected()));
                assertTrue(full.getMessage().contains("no worker can take the stream")
                        && full.getMessage().contains("full (1 of 1 sessions)"), full.getMessage());
            }
            // one that probed before the worker filled up learns it from the refusal, and says so
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> {
                // the refusal comes at once or with the first answers: at open, or while audio goes
                try (RecognitionStream late = stale.openStream(StreamOptions.of("en-US"), new Collected())) {
                    for (int i = 0; i < 50; i++) {
                        late.acceptAudio(new short[1600], 1600);
                    }
                    late.finish();
                }
            });
            assertTrue(refused.getMessage().contains("server_busy") && refused.getMessage().contains("full"),
                    refused.getMessage());
            first.closeBlocking();
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (SpeechEngine engine = remote(Map.of("remote_endpoints", "ws://127.0.0.1:" + closedPort + "/v1/vosk"))) {
            IllegalStateException down = assertThrows(IllegalStateException.class,
                    () -> engine.openStream(StreamOptions.of("en-US"), new Collected()));
            assertTrue(down.getMessage().contains("ws://127.0.0.1:" + closedPort + "/v1/vosk down (cannot connect"),
                    down.getMessage());
        }
    }

    private static int openOn(LivecapNode worker) {
        try {
            return Json.MAPPER.readTree(call(worker, "GET", "/healthz").body()).path("open_sessions").asInt(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
