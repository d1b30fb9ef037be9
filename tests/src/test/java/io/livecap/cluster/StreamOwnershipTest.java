package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on one PostgreSQL: a stream id is live on one node at a time. A source for it on the other node is
 * refused {@code stream_busy}, naming the owner; once the owner's stream ends, the other node may take it.
 * {@code GET /v1/cluster} shows both nodes and the lease.
 */
class StreamOwnershipTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> start() {
        return Map.of("type", "start", "codec", "pcm_s16le", "sample_rate", 16_000, "channels", 1,
                "timescale", 90_000, "pts_bits", 33);
    }

    private static LivecapNode node(String url, String id) throws InterruptedException {
        return LivecapNode.start(TestConfig.onStore(url, Map.of("cluster.node_id", id,
                "cluster.lease_ttl_seconds", "3", "cluster.heartbeat_ms", "500")), TestEngines.pocketsphinx());
    }

    @Test
    void aStreamIsLiveOnOneNodeAndASourceOnAnotherIsToldWhichOne() throws Exception {
        String url = TestPostgres.freshUrl();
        try (LivecapNode a = node(url, "node-a"); LivecapNode b = node(url, "node-b")) {
            try (IngestClient first = new IngestClient(a.url("/v1/ingest/ev1"));
                 IngestClient second = new IngestClient(b.url("/v1/ingest/ev1"))) {
                first.connect(5_000);
                first.start(start(), 5_000);
                second.connect(5_000);
                second.sendText(JSON.writeValueAsString(start()));
                IngestClient.Closed closed = second.awaitClose(10_000);
                assertEquals(1008, closed.code());
                JsonNode error = second.messages().stream().filter(m -> m.path("type").asText().equals("error"))
                        .findFirst().orElseThrow();
                assertEquals("stream_busy", error.path("code").asText());
                assertTrue(error.path("message").asText().contains("node node-a"), error.toString());
                assertTrue(first.isOpen(), "the owner's source is untouched");

                JsonNode cluster = get(b, "/v1/cluster");
                assertEquals("node-b", cluster.path("node_id").asText());
                List<String> nodes = new ArrayList<>();
                cluster.path("nodes").forEach(n -> {
                    nodes.add(n.path("node_id").asText());
                    assertTrue(n.path("alive").asBoolean(), n.toString());
                });
                assertEquals(List.of("node-a", "node-b"), nodes);
                JsonNode lease = cluster.path("leases").get(0);
                assertEquals("stream:ev1", lease.path("resource").asText(), cluster.toString());
                assertEquals("node-a", lease.path("owner").asText());
                assertEquals("stream:ev1", cluster.path("nodes").get(0).path("leases").get(0).asText());

                first.eos();
                assertEquals(1000, first.awaitClose(10_000).code());
            }
            // the owner's stream ended and handed its lease back: node b may now take the id
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (true) {
                try (IngestClient again = new IngestClient(b.url("/v1/ingest/ev1"))) {
                    again.connect(5_000);
                    try {
                        again.start(start(), 5_000);
                        again.eos();
                        assertEquals(1000, again.awaitClose(10_000).code());
                        break;
                    } catch (IOException refused) {
                        assertTrue(System.nanoTime() < deadline, "node b never got the stream: " + refused);
                        Thread.sleep(200); // retrying a refused start until the lease is free, with a deadline
                    }
                }
            }
        }
    }

    private static JsonNode get(LivecapNode node, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
