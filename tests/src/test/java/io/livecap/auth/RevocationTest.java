package io.livecap.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Revoking a stream's tokens while it runs closes the sockets they opened (1008) and refuses them from then on. */
@Timeout(60)
class RevocationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tokensRevokedMidStreamStopAccess() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.secured(), ScriptedSpeechEngine.of("hello@0-300"))) {
            String admin = node.firstAdminKey().orElseThrow();
            String base = "http://127.0.0.1:" + node.port();
            JsonNode publish = mint(base, admin, "{\"stream_id\":\"live1\",\"scope\":\"publish\"}");
            JsonNode read = mint(base, admin, "{\"stream_id\":\"live1\",\"scope\":\"read\"}");

            CaptionClient captions = new CaptionClient(node.url("/v1/captions/live1")).token(read.path("token").asText());
            captions.connect(10_000);
            IngestClient source = new IngestClient(node.url("/v1/ingest/live1")).token(publish.path("token").asText());
            source.connect(10_000);
            AudioFeeder.Source silence = AudioFeeder.of(new short[16_000], 16_000, 1);
            source.start(new AudioFeeder().startMessage(silence), 10_000);
            byte[] chunk = new byte[3_200]; // 100 ms of 16 kHz mono silence
            source.sendChunk(0, chunk, chunk.length);
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/live1/health")), admin)
                    .statusCode(), "the stream is live");

            assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/v1/tokens/" + read.path("id").asText()))
                    .DELETE(), admin).statusCode());
            ExecutionException closed = assertThrows(ExecutionException.class, () -> captions.awaitEos(10_000));
            assertTrue(closed.getCause().getMessage().contains("1008"), closed.getCause().getMessage());
            assertTrue(captions.received().stream().anyMatch(m -> m.json().path("code").asText().equals("revoked")),
                    "the subscriber is told why: " + captions.received());

            assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/v1/tokens/" + publish.path("id").asText()))
                    .DELETE(), admin).statusCode());
            assertEquals(1008, source.awaitClose(10_000).code());

            IngestClient again = new IngestClient(node.url("/v1/ingest/live1")).token(publish.path("token").asText());
            IOException refused = assertThrows(IOException.class, () -> again.connect(10_000));
            assertTrue(refused.getMessage().contains("401"), refused.getMessage());
            again.close();
            captions.close();
            source.close();
        }
    }

    private JsonNode mint(String base, String admin, String body) throws Exception {
        HttpResponse<String> minted = send(HttpRequest.newBuilder(URI.create(base + "/v1/tokens"))
                .POST(HttpRequest.BodyPublishers.ofString(body)), admin);
        assertEquals(201, minted.statusCode(), minted.body());
        return Json.MAPPER.readTree(minted.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String secret) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
    }
}
