package io.livecap.server;

import io.livecap.node.LivecapNode;
import io.livecap.captions.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpApiTest {

    @Test
    void healthzNamesTheEngineAndUnknownPathsAre404() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.local(),
                TestEngines.pocketsphinx())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + node.port();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            JsonNode json = Json.MAPPER.readTree(health.body());
            assertEquals("ok", json.path("status").asText());
            assertEquals("pocketsphinx", json.path("engine").asText());
            assertEquals(0, json.path("streams").asInt());

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            HttpResponse<String> badId = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/ingest/a%20b"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badId.statusCode());
            assertTrue(badId.body().contains("stream ids"));
        }
    }
}
