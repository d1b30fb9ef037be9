package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Caption;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/captions} and {@code DELETE /v1/captions/{id}} on a secured node with real streams: the list's
 * counts are the finals the subscribers got, only admin deletes, a live stream is refused with 409, an unknown one
 * 404, a subscriber waiting on a deleted stream is ended, and a replay after the delete has nothing of it.
 */
@Timeout(180)
class StoredCaptionsApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LivecapNode node;
    private static String admin;
    private static String operator;
    private static String reader;

    @BeforeAll
    static void start() throws Exception {
        // two utterances a stream: two finals each
        node = LivecapNode.start(TestConfig.secured(), ScriptedSpeechEngine.of("hello@100-400 world@400-700",
                "stored@1500-1800 captions@1800-2100"));
        admin = node.firstAdminKey().orElseThrow();
        operator = mint("{\"role\":\"operator\"}");
        reader = mint("{\"role\":\"captions-read\"}");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.closeWithEngine();
        }
    }

    @Test
    void listCountsDeleteRefusalsAndReplayAfterDelete() throws Exception {
        List<Caption> first = runStream("ended-a");
        List<Caption> second = runStream("ended-b");
        assertEquals(2, first.size(), "the script gives two finals: " + first);

        // a live stream with a final stored, its source still connected
        IngestClient live = new IngestClient(node.url("/v1/ingest/live-c")).token(admin);
        live.connect(10_000);
        AudioFeeder feeder = new AudioFeeder();
        AudioFeeder.Source audio = AudioFeeder.of(new short[16_000 * 3], 16_000, 1);
        live.start(feeder.startMessage(audio), 10_000);
        feeder.feedChunks(audio, live, false);
        Map<String, JsonNode> listed = awaitListed("live-c");

        assertEquals(first.size(), listed.get("ended-a").path("finals").asInt());
        assertEquals(second.size(), listed.get("ended-b").path("finals").asInt());
        assertFalse(listed.get("ended-a").path("live").asBoolean());
        assertTrue(listed.get("live-c").path("live").asBoolean(), listed.toString());
        JsonNode a = listed.get("ended-a");
        assertFalse(java.time.Instant.parse(a.path("last_caption_at").asText())
                .isBefore(java.time.Instant.parse(a.path("first_caption_at").asText())), a.toString());

        // paged: one at a time, in id order, next_after pointing on
        JsonNode page = json(send("GET", "/v1/captions?limit=1", operator));
        assertEquals(1, page.path("streams").size());
        assertEquals("ended-a", page.path("streams").get(0).path("stream_id").asText());
        assertEquals("ended-a", page.path("next_after").asText());
        JsonNode next = json(send("GET", "/v1/captions?limit=1&after=ended-a", operator));
        assertEquals("ended-b", next.path("streams").get(0).path("stream_id").asText());
        assertEquals(400, send("GET", "/v1/captions?limit=0", operator).statusCode());

        // who may delete: admin only, the others get a JSON reason
        for (String[] who : new String[][]{{"operator", operator, "403"}, {"captions-read", reader, "403"},
                {"anonymous", null, "401"}}) {
            HttpResponse<String> refused = send("DELETE", "/v1/captions/ended-a", who[1]);
            assertEquals(Integer.parseInt(who[2]), refused.statusCode(), who[0] + ": " + refused.body());
            assertFalse(json(refused).path("error").asText().isEmpty(), refused.body());
            assertFalse(json(refused).path("code").asText().isEmpty(), refused.body());
        }
        assertEquals(403, send("GET", "/v1/captions", reader).statusCode(), "listing is not a reader's");
        assertEquals(401, send("GET", "/v1/captions", null).statusCode());

        HttpResponse<String> busy = send("DELETE", "/v1/captions/live-c", admin);
        assertEquals(409, busy.statusCode(), busy.body());
        assertEquals("stream_live", json(busy).path("code").asText());
        assertEquals(404, send("DELETE", "/v1/captions/never-seen", admin).statusCode());

        // a subscriber waiting for ended-a to start again is not left hanging by the delete
        CaptionClient waiting = new CaptionClient(node.url("/v1/captions/ended-a")).token(admin);
        waiting.connect(10_000);
        HttpResponse<String> deleted = send("DELETE", "/v1/captions/ended-a", admin);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(first.size(), json(deleted).path("deleted_finals").asInt());
        JsonNode eos = waiting.awaitEos(10_000);
        assertEquals(StoredCaptionsApi.DELETED, eos.path("reason").asText(), eos.toString());
        waiting.close();
        assertEquals(404, send("DELETE", "/v1/captions/ended-a", admin).statusCode(), "already gone");
        Map<String, JsonNode> after = list();
        assertFalse(after.containsKey("ended-a"), after.toString());
        assertEquals(second.size(), after.get("ended-b").path("finals").asInt(), "the others stay");

        // a replay of the deleted stream has none of its old finals: it waits, like one of an id never seen, and
        // then gets the next stream on that id alone
        CaptionClient replay = new CaptionClient(node.url("/v1/captions/ended-a?from_seq=0")).token(admin);
        replay.connect(10_000);
        List<Caption> again = runStream("ended-a");
        replay.awaitEos(30_000);
        assertEquals(again, replay.finals(), "nothing of the deleted stream was replayed");
        assertEquals(1, replay.captions().get(0).seq(), "numbering starts again: nothing is kept of the deleted stream");
        replay.close();

        live.eos();
        live.awaitClose(30_000);
        live.close();
    }

    /** One whole stream through a subscriber; returns the finals it got. */
    private static List<Caption> runStream(String id) throws Exception {
        StreamRun run = new StreamRun(node, id, new AudioFeeder());
        AudioFeeder.Source audio = AudioFeeder.of(new short[16_000 * 3], 16_000, 1);
        run.open(audio).feedAll(audio);
        List<Caption> finals = run.finals();
        run.captions().close();
        run.source().close();
        return finals;
    }

    /** Polls the list (a condition with a deadline) until {@code id} is there with a final. */
    private static Map<String, JsonNode> awaitListed(String id) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Map<String, JsonNode> listed = list();
            if (listed.containsKey(id) && listed.get(id).path("finals").asInt() > 0) {
                return listed;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(id + " never listed with a final: " + listed);
            }
            Thread.sleep(50); // polling a condition with a deadline
        }
    }

    private static Map<String, JsonNode> list() throws Exception {
        HttpResponse<String> answer = send("GET", "/v1/captions", operator);
        assertEquals(200, answer.statusCode(), answer.body());
        Map<String, JsonNode> byId = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (JsonNode row : json(answer).path("streams")) {
            byId.put(row.path("stream_id").asText(), row);
            order.add(row.path("stream_id").asText());
        }
        assertEquals(order.stream().sorted().toList(), order, "listed in id order");
        return byId;
    }

    private static HttpResponse<String> send(String method, String path, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        return Json.MAPPER.readTree(answer.body());
    }

    private static String mint(String body) throws Exception {
        HttpResponse<String> minted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                        + "/v1/tokens")).header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, minted.statusCode(), minted.body());
        return Json.MAPPER.readTree(minted.body()).path("token").asText();
    }
}
