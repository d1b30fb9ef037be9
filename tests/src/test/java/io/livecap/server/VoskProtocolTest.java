package io.livecap.server;

import io.livecap.node.LivecapNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.WavAudio;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.VoskSocketClient;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /v1/vosk speaks the vosk-server protocol the way its own clients expect: one answer per audio message. */
class VoskProtocolTest {

    @Test
    void voskClientsGetPartialsAndResultsWithWordTimesInSeconds() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        short[] clip = Arrays.copyOf(lecture.samples(), 8 * 16_000);
        try (LivecapNode node = LivecapNode.start(TestConfig.local(),
                TestEngines.pocketsphinx())) {
            VoskSocketClient client = new VoskSocketClient(node.url("/v1/vosk"));
            client.connectBlocking(5, TimeUnit.SECONDS);
            client.send("{\"config\":{\"sample_rate\":16000}}");
            List<JsonNode> results = new ArrayList<>();
            int partials = 0;
            int block = 4000; // vosk-server's examples send 4000-sample blocks
            for (int i = 0; i < clip.length; i += block) {
                ByteBuffer bytes = ByteBuffer.allocate(2 * Math.min(block, clip.length - i))
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (int j = i; j < Math.min(i + block, clip.length); j++) {
                    bytes.putShort(clip[j]);
                }
                client.send(bytes.array());
                JsonNode answer = client.next();
                if (answer.has("partial")) {
                    partials++;
                } else {
                    results.add(answer);
                }
            }
            client.send("{\"eof\":1}");
            results.add(client.next());
            assertEquals(1000, client.closed.get(10, TimeUnit.SECONDS));
            assertTrue(partials > 0, "partials arrive while speaking");
            StringBuilder text = new StringBuilder();
            double previousEnd = 0;
            for (JsonNode result : results) {
                text.append(result.path("text").asText()).append(' ');
                for (JsonNode word : result.path("result")) {
                    double start = word.path("start").asDouble();
                    double end = word.path("end").asDouble();
                    assertTrue(start >= previousEnd - 0.05 && end >= start && end <= 8.05, word.toString());
                    assertTrue(word.path("conf").asDouble() >= 0 && word.path("conf").asDouble() <= 1);
                    previousEnd = end;
                }
            }
            String reference = "the committee will meet on tuesday to discuss the new budget the president said"
                    + " the government would raise taxes next year";
            assertTrue(WordErrorRate.of(reference, text.toString()) <= 0.15, text.toString());
        }
    }
}
