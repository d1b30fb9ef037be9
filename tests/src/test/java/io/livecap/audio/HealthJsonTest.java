package io.livecap.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.livecap.audio.Stereo.RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What caption subscribers and the operator API receive: plain JSON, snake_case, no date module needed. */
class HealthJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eventAndSnapshotSerialiseAsTheApiShowsThem() throws Exception {
        short[] speech = Stereo.lecture();
        HealthRun run = new HealthRun(RATE, 2).feedUntil(Stereo.interleave(speech, Stereo.scaled(speech, -1)), 5 * RATE);

        JsonNode event = mapper.readTree(mapper.writeValueAsString(run.events.get(0)));
        System.out.println("event: " + event);
        assertEquals("audio_health", event.get("type").asText());
        assertEquals("test", event.get("stream_id").asText());
        assertEquals(run.events.get(0).time(), Instant.parse(event.get("time").asText()));
        assertEquals(1000, event.get("start").asLong());
        assertEquals("phase_inverted", event.get("kind").asText());
        assertEquals("phase_inverted", event.get("state").asText());
        assertEquals("auto", event.get("requested").asText());
        assertEquals("invert-right", event.get("action").asText());
        assertEquals(-1.0, event.at("/levels/correlation").asDouble());
        assertTrue(event.at("/levels/sum_vs_louder_db").asDouble() < -60);
        assertTrue(event.at("/levels/left/rms_dbfs").asDouble() > -50);
        assertTrue(event.at("/levels/right/peak_dbfs").isNumber());
        assertTrue(event.at("/levels/right/dc_percent").isNumber());
        assertTrue(event.get("message").asText().startsWith("phase inverted: "));

        JsonNode snapshot = mapper.readTree(mapper.writeValueAsString(run.health.snapshot()));
        System.out.println("snapshot: " + snapshot);
        assertEquals("phase_inverted", snapshot.get("state").asText());
        assertEquals("auto", snapshot.get("requested").asText());
        assertEquals("invert-right", snapshot.get("effective").asText());
        assertEquals(5000, snapshot.get("last_window_end").asLong());
        assertEquals(1, snapshot.get("recent_events").size());
        assertEquals(1, snapshot.at("/event_counts/phase_inverted").asLong());
        assertEquals(2, snapshot.get("channels").asInt());

        assertEquals(ChannelStrategy.LEFT, mapper.readValue("\"left\"", ChannelStrategy.class));
    }

    @Test
    void monoSnapshotHasNoRightChannelAndNoCorrelation() throws Exception {
        HealthRun run = new HealthRun(RATE, 1).feedUntil(Stereo.lecture(), RATE);
        JsonNode levels = mapper.readTree(mapper.writeValueAsString(run.health.snapshot())).get("levels");
        assertTrue(levels.get("right").isNull());
        assertTrue(levels.get("correlation").isNull());
        assertTrue(levels.get("sum_vs_louder_db").isNull());
    }
}
