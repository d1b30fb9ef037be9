package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code DELETE /v1/streams/{id}} on a pushed stream, over real HTTP and a real ingest websocket: the session
 * finishes the captions of the audio it has, the caption subscribers get eos, and the source gets eos and a close
 * 1000 "ended by operator"; audio it sends after the DELETE is dropped, not an error.
 */
@Timeout(120)
class EndPushedSessionTest {

    private static LivecapNode node;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.local(), ScriptedSpeechEngine.of("hello@100-400 world@400-800"));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.closeWithEngine();
        }
    }

    private static HttpResponse<String> delete(String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/streams/" + id))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deleteEndsAPushedSessionWithEosAndAClearCloseReason() throws Exception {
        short[] tone = new short[16_000 * 3]; // 3 s of a quiet tone: audio the scripted engine "hears" words in
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (2000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        }
        AudioFeeder.Source audio = AudioFeeder.of(tone, 16_000, 1);
        AudioFeeder feeder = new AudioFeeder().chunkMs(100);
        StreamRun run = new StreamRun(node, "pushed-end", feeder).open(audio);
        feeder.feedChunks(audio, run.source(), false); // no eos: the operator ends it
        StreamRun.awaitAudio(node, "pushed-end", 3_000);

        HttpResponse<String> ended = delete("pushed-end");
        assertEquals(200, ended.statusCode(), ended.body());
        JsonNode body = Json.MAPPER.readTree(ended.body());
        assertEquals("push", body.path("source").asText());
        assertEquals("ending", body.path("state").asText());

        // audio after the DELETE is dropped quietly while the session drains (or refused once the socket is gone)
        try {
            run.source().sendChunk(0, new byte[3200], 3200);
        } catch (RuntimeException closedAlready) {
            // the close won the race: nothing to drop
        }
        IngestClient.Closed closed = run.source().awaitClose(30_000);
        assertEquals(1000, closed.code(), run.source().describeClose(closed));
        assertEquals("ended by operator", closed.reason());
        assertTrue(run.source().messages().stream().anyMatch(m -> m.path("type").asText().equals("eos")),
                "the source got eos before the close: " + run.source().messages());
        assertTrue(run.source().messages().stream().noneMatch(m -> m.path("type").asText().equals("error")),
                "no error for the audio sent after the DELETE: " + run.source().messages());

        JsonNode eos = run.captions().awaitEos(30_000);
        assertEquals("ended by operator", eos.path("reason").asText(), "subscribers learn why: " + eos);
        assertEquals("hello world", run.finalText().toLowerCase().replaceAll("[^a-z ]", ""), "the captions of the audio received were finished");
        assertTrue(eos.path("seq").asLong() >= run.finals().get(run.finals().size() - 1).seq(),
                "eos comes after the last final: " + eos);

        HttpResponse<String> again = delete("pushed-end");
        assertEquals(404, again.statusCode(), again.body());
        assertEquals("ended", Json.MAPPER.readTree(again.body()).path("state").asText(), again.body());
    }
}
