package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.ingest.AudioFileReader;
import io.livecap.testkit.PrivatePostgres;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stops for 10 s in the middle of a stream and comes back: captions keep reaching the subscriber
 * meanwhile, the finals written while it was away are stored once it is back, every final exactly once, and
 * {@code /healthz} says the store is away (status degraded), then how long the outage lasted and that nothing was
 * lost. The test runs its own PostgreSQL (.ci/postgres-start on a free port, its own data directory), so stopping
 * it disturbs no other test; it is started again in a finally, and removed at the end.
 */
@Execution(ExecutionMode.CONCURRENT) // the suite's second lane (tests/src/test/resources/junit-platform.properties)
class PostgresRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void captionsFlowThroughAStoreRestartAndEveryFinalIsStoredOnce() throws Exception {
        Assumptions.assumeTrue(TestPostgres.available(), "PostgreSQL not available (see TestPostgres)");
        PrivatePostgres pg = PrivatePostgres.onFreePort();
        String url = pg.start();
        boolean stopped = false;
        try (RelayCluster cluster = new RelayCluster(dir, url, 30)) {
            // a TTL beyond the outage: the node keeps its stream's lease through it
            cluster.start("node-a", Map.of("LIVECAP_CLUSTER_LEASE_TTL_SECONDS", "40",
                    "LIVECAP_CLUSTER_HEARTBEAT_MS", "2000"));
            List<CaptionClient> clients = new ArrayList<>();
            try (CaptionClient subscriber = new CaptionClient(cluster.ws("node-a", "/v1/captions/ev?from_seq=0"));
                 AudioFileReader reader = AudioFileReader.open(cluster.tones());
                 IngestClient source = new IngestClient(cluster.ws("node-a", "/v1/ingest/ev"))) {
                clients.add(subscriber);
                subscriber.connect(10_000);
                AudioFeeder feeder = new AudioFeeder().realtime(true);
                AudioFeeder.Source audio = AudioFeeder.of(reader);
                source.connect(10_000);
                source.start(feeder.startMessage(audio), 10_000);
                Thread feeding = new Thread(() -> {
                    try {
                        feeder.feedChunks(audio, source, true);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "feed");
                feeding.start();
                RelayTest.await("two finals before the outage", 60_000, () -> subscriber.finals().size() >= 2,
                        cluster);

                pg.stop();
                stopped = true;
                long down = System.nanoTime();
                int before = subscriber.finals().size();
                boolean sawAway = false;
                // the outage lasts 10 s: meanwhile /healthz is watched and captions must keep coming
                while (System.nanoTime() - down < TimeUnit.SECONDS.toNanos(10)) {
                    JsonNode health = health(cluster);
                    if (health.path("store").path("status").asText().equals("away")) {
                        sawAway = true;
                        assertEquals("degraded", health.path("status").asText(), health.toString());
                    }
                    Thread.sleep(250); // the outage's length is the scenario; this only paces the health checks
                }
                int during = subscriber.finals().size() - before;
                pg.start();
                stopped = false;

                feeding.join(120_000);
                assertFalse(feeding.isAlive(), "the feed ended");
                subscriber.awaitEos(60_000);
                assertTrue(sawAway, "/healthz said the store was away during the outage");
                assertTrue(during >= 1, "captions kept flowing while the store was away: " + during + " finals");

                List<Long> seqs = subscriber.finals().stream().map(Caption::seq).toList();
                for (int i = 1; i < seqs.size(); i++) {
                    assertTrue(seqs.get(i) > seqs.get(i - 1), "in order, none twice: " + seqs);
                }
                RelayTest.await("the finals kept in memory stored", 30_000, () -> {
                    try {
                        return RelayTest.storedSeqs(url, "ev").equals(seqs);
                    } catch (Exception e) {
                        return false;
                    }
                }, cluster);
                JsonNode store = health(cluster).path("store");
                assertEquals("ok", store.path("status").asText(), store.toString());
                assertEquals(1, store.path("outages").asInt(), store.toString());
                assertEquals(0, store.path("lost_writes").asInt(), store.toString());
                assertEquals(0, store.path("buffered_writes").asInt(), store.toString());
                assertTrue(store.path("written_after_outages").asInt() >= during, store.toString());
                assertTrue(store.path("last_outage_ms").asLong() >= 5_000, "the outage, as the node saw it: " + store);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + cluster.logs(), e);
            }
        } finally {
            if (stopped) {
                pg.start(); // whatever failed, the server is left as found before it is removed
            }
            pg.remove();
        }
    }

    private static JsonNode health(RelayCluster cluster) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(cluster.http("node-a", "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
