package io.livecap.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.AssetProcessing;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REACH alerts on a real node driving the REACH sandbox through one short live event with three tasks: one whose
 * caption asset stays QUEUED long after the cut-off (past half its turn-around, then past its expected finish:
 * reach_half_tat, then reach_stuck, both cleared once it is READY), one whose captionUrl refuses the push
 * (delivery_failing while refused) and one whose asset turns ERROR (the task ends in ERROR: delivery_failing, kept).
 */
class ReachAlertsTest {

    private static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void halfTatStuckAndFailingDeliveriesAreRaisedFromTheSandboxsEvent() throws Exception {
        try (ReachSandbox sandbox = ReachSandbox.start(SandboxConfig.of(0, 0, 0, 10,
                SharedAudio.file(SharedAudio.LECTURE)).withBuffers(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(5)))) {
            SandboxRegion us = sandbox.region("us");
            // READY is expected 3 s after the cut-off: the slow asset's 20 s queue makes that task late
            LivecapConfig config = LivecapConfig.load(null, Map.of(), Map.of("server.port", "0",
                            "server.host", "127.0.0.1", "store.url", "jdbc:h2:mem:" + UUID.randomUUID()
                                    + ";DB_CLOSE_DELAY=-1", "reach.poll_seconds", "1", "reach.tick_ms", "200",
                            "reach.keep_alive_seconds", "2", "reach.delivery_grace_seconds", "3",
                            "auth.enabled", "false", "ingest.allowed_networks", TestConfig.LOOPBACK_NETWORKS))
                    .withReachEndpoint(new LivecapConfig.ReachEndpoint(us.name(), us.serviceUrl().toString(),
                            us.vendorPartnerId(), "sandboxvendor", us.vendorKs().reveal()));
            try (LivecapNode node = LivecapNode.start(config, TestEngines.pocketsphinx())) {
                // ordered once the node is up (starting it on a loaded machine can take longer than the lead time)
                List<Long> ids = us.addLiveTasks(3, Instant.now().plusSeconds(8), Duration.ofSeconds(10));
                long slow = ids.get(0);
                long refused = ids.get(1);
                long lost = ids.get(2);
                us.setAssetProcessing(slow, AssetProcessing.queuedFor(Duration.ofSeconds(20)));
                us.refuseCaptionConnections(refused, true);
                us.setAssetProcessing(lost, AssetProcessing.failingAfter(Duration.ofSeconds(1)));
                JsonNode failing = awaitAlert(node, "delivery_failing", "us/" + refused, a -> a.path("active").asBoolean());
                assertTrue(failing.path("message").asText().contains("captionUrl push is refused"), failing.toString());

                JsonNode half = awaitAlert(node, "reach_half_tat", "us/" + slow, a -> a.path("active").asBoolean());
                assertTrue(half.path("message").asText().contains("half its turn-around"), half.toString());
                JsonNode stuck = awaitAlert(node, "reach_stuck", "us/" + slow, a -> a.path("active").asBoolean());
                assertTrue(stuck.path("message").asText().contains("past its expected finish"), stuck.toString());
                assertEquals(Optional.of(TaskStatus.PROCESSING), us.status(slow), "stuck: not READY yet");
                assertTrue(metric(node, "livecap_alerts_active{kind=\"reach_stuck\"") >= 1);

                JsonNode assetLost = awaitAlert(node, "delivery_failing", "us/" + lost,
                        a -> a.path("active").asBoolean());
                assertTrue(assetLost.path("message").asText().contains("ended in ERROR"), assetLost.toString());
                System.out.printf("[alerts] REACH: %s | %s | %s | %s%n", failing.path("message").asText(),
                        half.path("message").asText(), stuck.path("message").asText(),
                        assetLost.path("message").asText());

                // the slow asset is READY at last: the task is done, its turn-around alerts go
                awaitAlert(node, "reach_stuck", "us/" + slow, a -> !a.path("active").asBoolean());
                awaitAlert(node, "reach_half_tat", "us/" + slow, a -> !a.path("active").asBoolean());
                assertEquals(Optional.of(TaskStatus.READY), us.status(slow));
                assertEquals(Optional.of(TaskStatus.ERROR), us.status(lost));
                assertTrue(alerts(node).stream().anyMatch(a -> a.path("kind").asText().equals("delivery_failing")
                        && a.path("subject").asText().equals("us/" + lost) && a.path("active").asBoolean()),
                        "a lost delivery stays alerted until acknowledged");
                assertFalse(alerts(node).stream().anyMatch(a -> a.path("subject").asText().equals("us/" + slow)
                        && a.path("active").asBoolean()), "nothing left active on the READY task");
            }
        }
    }

    private static JsonNode awaitAlert(LivecapNode node, String kind, String subject, Predicate<JsonNode> wanted)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        List<JsonNode> last = List.of();
        while (System.currentTimeMillis() < deadline) {
            last = alerts(node);
            for (JsonNode a : last) {
                if (a.path("kind").asText().equals(kind) && a.path("subject").asText().equals(subject)
                        && wanted.test(a)) {
                    return a;
                }
            }
            Thread.sleep(200); // polling the API with a deadline
        }
        throw new AssertionError("no " + kind + " alert on " + subject + " as wanted within 120 s; last list " + last);
    }

    private static List<JsonNode> alerts(LivecapNode node) throws Exception {
        List<JsonNode> list = new java.util.ArrayList<>();
        Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/v1/alerts")).GET().build(), HttpResponse.BodyHandlers.ofString()).body()).path("alerts")
                .forEach(list::add);
        return list;
    }

    private static double metric(LivecapNode node, String prefix) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no series " + prefix + " in /metrics");
    }
}
