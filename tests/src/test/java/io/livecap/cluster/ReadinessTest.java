package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.TcpRelay;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /readyz} follows the node's store and lease heartbeat: ready while PostgreSQL takes its heartbeats,
 * 503 naming the store and the lost heartbeat while the connection to it is cut (a relay between them goes down),
 * ready again once it is back. {@code /healthz} (liveness) stays 200 throughout.
 */
class ReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void readinessSaysWhenTheStoreIsUnreachableAndTheHeartbeatLostAndRecovers() throws Exception {
        String direct = TestPostgres.freshUrl();
        Matcher hostPort = Pattern.compile("//([^/:]+):(\\d+)/").matcher(direct);
        assertTrue(hostPort.find(), direct);
        try (TcpRelay relay = TcpRelay.to(URI.create("tcp://" + hostPort.group(1) + ":" + hostPort.group(2)))) {
            URI via = relay.via(URI.create("tcp://" + hostPort.group(1) + ":" + hostPort.group(2)));
            String url = direct.substring(0, hostPort.start()) + "//" + via.getHost() + ":" + via.getPort()
                    + direct.substring(hostPort.end() - 1);
            try (LivecapNode node = LivecapNode.start(TestConfig.onStore(url, Map.of("cluster.node_id", "node-r",
                    "cluster.lease_ttl_seconds", "2", "cluster.heartbeat_ms", "300")), TestEngines.pocketsphinx())) {
                JsonNode ready = await(node, "/readyz", 200, r -> true);
                assertTrue(ready.path("ready").asBoolean(), ready.toString());
                assertEquals("node-r", ready.path("node").asText());
                assertEquals(0, ready.path("reasons").size(), ready.toString());

                relay.down();
                JsonNode unready = await(node, "/readyz", 503, r -> r.path("reasons").toString()
                        .contains("store unreachable") && r.path("reasons").toString().contains("heartbeat lost"));
                assertTrue(!unready.path("ready").asBoolean(), unready.toString());
                assertEquals(200, get(node, "/healthz").statusCode(), "liveness is not readiness");

                relay.up();
                JsonNode again = await(node, "/readyz", 200, r -> true);
                assertTrue(again.path("ready").asBoolean(), again.toString());
            }
        }
    }

    /** Polls {@code path} until it answers {@code status} with a body that passes {@code test}; fails at 30 s. */
    private static JsonNode await(LivecapNode node, String path, int status, Predicate<JsonNode> test)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        AtomicReference<String> last = new AtomicReference<>("nothing");
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(node, path);
            last.set(response.statusCode() + " " + response.body());
            if (response.statusCode() == status) {
                JsonNode body = JSON.readTree(response.body());
                if (test.test(body)) {
                    return body;
                }
            }
            Thread.sleep(100); // polling an observable answer, not guessing a duration
        }
        throw new AssertionError("no " + status + " from " + path + " within 30 s; last: " + last.get());
    }

    private static HttpResponse<String> get(LivecapNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
