package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /v1/cluster on a node whose engine is {@code remote} over an ASR worker process, both on one PostgreSQL: the
 * node and the worker are listed with their roles and loads (the worker's capacity and open sessions, the node's
 * live stream and its lease), and the pool shows the worker up with our stream on it; once the worker is SIGKILLed
 * the pool entry goes down and its row stops being alive.
 */
class ClusterViewTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void nodesAndWorkersWithTheirRolesAndLoadAndThePoolAsTheNodeSeesIt() throws Exception {
        TestEngines.pocketsphinx(); // skips, saying why, where pocketsphinx is missing
        String store = TestPostgres.freshUrl();
        Map<String, String> beat = Map.of("LIVECAP_STORE_URL", store, "LIVECAP_CLUSTER_HEARTBEAT_MS", "500",
                "LIVECAP_CLUSTER_LEASE_TTL_SECONDS", "3");
        try (WorkerProcesses workers = new WorkerProcesses(dir)) {
            WorkerProcesses.Worker worker = workers.start("worker-v1", "pocketsphinx", 3, beat);
            LivecapNode node = LivecapNode.start(TestConfig.onStore(store, Map.of("engine.name", "remote",
                    "engine.remote_endpoints", worker.vosk().toString(), "engine.remote_probe_ms", "300",
                    "cluster.node_id", "node-v1", "cluster.heartbeat_ms", "500", "cluster.lease_ttl_seconds", "3")));
            try {
                WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
                int seconds = 4 * lecture.sampleRate() * lecture.channels();
                AudioFeeder.Source audio = AudioFeeder.of(Arrays.copyOf(lecture.samples(), seconds),
                        lecture.sampleRate(), lecture.channels());
                AudioFeeder feeder = new AudioFeeder();
                StreamRun run = new StreamRun(node, "cv-1", feeder).open(audio);
                feeder.feedChunks(audio, run.source(), false); // no eos: the stream stays live on the worker
                JsonNode[] seen = new JsonNode[1];
                awaitCluster(node, seen, "both roles, the node's stream and the worker's session", c ->
                        row(c, "node-v1").path("role").asText().equals("node")
                                && row(c, "node-v1").path("load").path("live_streams").asInt() == 1
                                && row(c, "node-v1").path("load").path("leases_held").asInt() >= 1
                                && row(c, "worker-v1").path("role").asText().equals("worker")
                                && row(c, "worker-v1").path("load").path("open_sessions").asInt() == 1
                                && c.path("workers").size() == 1 && c.path("workers").get(0).path("ours").asInt() == 1);
                JsonNode cluster = seen[0];
                JsonNode w = row(cluster, "worker-v1");
                assertEquals(3, w.path("load").path("max_sessions").asInt(), cluster.toString());
                assertTrue(w.path("alive").asBoolean(), cluster.toString());
                assertEquals(0, w.path("leases").size(), "a worker holds no lease: " + cluster);
                assertTrue(row(cluster, "node-v1").path("leases").toString().contains("stream:cv-1"),
                        cluster.toString());
                assertTrue(row(cluster, "node-v1").path("load").path("max_sessions").isMissingNode(),
                        "a node has no /v1/vosk cap: " + cluster);
                JsonNode pooled = cluster.path("workers").get(0);
                assertEquals(worker.vosk().toString(), pooled.path("endpoint").asText(), cluster.toString());
                assertEquals("127.0.0.1", pooled.path("address").asText(), cluster.toString());
                assertTrue(pooled.path("up").asBoolean(), cluster.toString());
                assertEquals(3, pooled.path("capacity").asInt(), cluster.toString());

                worker.process().destroyForcibly();
                assertTrue(worker.process().waitFor(30, TimeUnit.SECONDS), "the worker died");
                awaitCluster(node, seen, "the pool entry down and the worker's row no longer alive", c ->
                        !c.path("workers").get(0).path("up").asBoolean()
                                && !row(c, "worker-v1").path("alive").asBoolean(true));
                assertTrue(row(seen[0], "node-v1").path("alive").asBoolean(), seen[0].toString());
                assertTrue(seen[0].path("workers").get(0).path("reason").asText().length() > 0, seen[0].toString());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + workers.logs(), e);
            } finally {
                node.close();
            }
        }
    }

    /** The process named {@code id} in /v1/cluster's nodes (a missing node when it is not there). */
    private static JsonNode row(JsonNode cluster, String id) {
        for (JsonNode n : cluster.path("nodes")) {
            if (n.path("node_id").asText().equals(id)) {
                return n;
            }
        }
        return Json.MAPPER.missingNode();
    }

    private static void awaitCluster(LivecapNode node, JsonNode[] last, String what, Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port() + "/v1/cluster"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            last[0] = Json.MAPPER.readTree(response.body());
            if (condition.test(last[0])) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what + ": " + last[0]);
            }
            Thread.sleep(200); // polling an observable condition, not guessing a duration
        }
    }
}
