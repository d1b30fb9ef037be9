package io.livecap.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.node.LivecapNode;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.livecap.lifecycle.ReachSandboxRun.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/tasks/{region}/{id}/retry-delivery} against the REACH sandbox, over real HTTP with auth on: a
 * task whose captionUrl refuses its connections (the sandbox's injected fault) shows its push {@code refused}; a
 * retry while the fault lasts is refused again; once the fault is lifted a retry connects, resends the finals
 * stored meanwhile (after the last confirmed seq) and goes on live.
 */
@Timeout(240)
class RetryDeliveryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aRefusedDeliveryResumesWhenRetried() throws Exception {
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 15, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            long id = us.addLiveTasks(1, Instant.now().plusSeconds(10), Duration.ofSeconds(40)).get(0);
            us.refuseCaptionConnections(id, true);
            try (LivecapNode node = LivecapNode.start(ReachSandboxRun.livecapFor(us, "sandboxvendor",
                    "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"), TestEngines.pocketsphinx())) {
                String key = node.firstAdminKey().orElseThrow();
                String retry = "/v1/tasks/us/" + id + "/retry-delivery";

                await("the push refused", Duration.ofSeconds(60),
                        () -> delivery(node, key, id).path("state").asText().equals("refused"));
                int refusals = us.captionConnectionsRefused(id);
                assertTrue(refusals >= 1, "the fault was hit");
                assertEquals(0, delivery(node, key, id).path("confirmed_seq").asLong());

                HttpResponse<String> stillFaulty = call(node, key, "POST", retry);
                assertEquals(202, stillFaulty.statusCode(), stillFaulty.body());
                await("a second refusal", Duration.ofSeconds(30), () -> us.captionConnectionsRefused(id) > refusals
                        && delivery(node, key, id).path("state").asText().equals("refused"));

                us.refuseCaptionConnections(id, false);
                String stream = node.tasks().find(new io.livecap.reach.TaskKey("us", id)).orElseThrow().streamId();
                await("finals stored while the captionUrl refused", Duration.ofSeconds(60),
                        () -> node.sessions().hub().store().finalsAfter(stream, 0).size() >= 2);
                int owed = node.sessions().hub().store().finalsAfter(stream, 0).size();
                HttpResponse<String> retried = call(node, key, "POST", retry);
                assertEquals(202, retried.statusCode(), retried.body());
                assertEquals("restarted", Json.MAPPER.readTree(retried.body()).path("delivery").asText());
                await("delivery resumed and confirmed", Duration.ofSeconds(60), () -> {
                    JsonNode d = delivery(node, key, id);
                    return d.path("state").asText().equals("pushing") && d.path("confirmed_seq").asLong() > 0
                            && d.path("connections").asInt() == 1;
                });
                // the finals stored while refused were resent from the store on the new connection
                await("the captionUrl to have the " + owed + " finals stored before the retry", Duration.ofSeconds(30),
                        () -> captions(sandbox, id).path("finals").asInt() >= owed);
                assertEquals(0, captions(sandbox, id).path("duplicates").size(), captions(sandbox, id).toString());

                HttpResponse<String> unknown = call(node, key, "POST", "/v1/tasks/us/999999999/retry-delivery");
                assertEquals(404, unknown.statusCode(), unknown.body());
                HttpResponse<String> wrongMethod = call(node, key, "GET", retry);
                assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
                HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.port() + retry)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, anonymous.statusCode(), anonymous.body());
            }
        }
    }

    /** What the sandbox's captionUrl received for the task (its report's "captions"). */
    private static JsonNode captions(ReachSandbox sandbox, long id) {
        for (JsonNode task : sandbox.report().path("regions").path(0).path("tasks")) {
            if (task.path("id").asLong() == id) {
                return task.path("captions");
            }
        }
        throw new AssertionError("task " + id + " not in the sandbox report");
    }

    /** The task's caption_url object from {@code GET /v1/tasks} (missing when it has no push). */
    private static JsonNode delivery(LivecapNode node, String key, long id) {
        try {
            JsonNode tasks = Json.MAPPER.readTree(call(node, key, "GET", "/v1/tasks").body()).path("tasks");
            for (JsonNode task : tasks) {
                if (task.path("id").asLong() == id) {
                    return task.path("caption_url");
                }
            }
            return Json.MAPPER.missingNode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> call(LivecapNode node, String key, String method, String path)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("Authorization", "Bearer " + key)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
