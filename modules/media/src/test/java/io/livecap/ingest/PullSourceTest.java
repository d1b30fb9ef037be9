package io.livecap.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PullSourceTest {

    @Test
    void rtmpKeyIsTheStreamNameOnce() {
        assertEquals("rtmp://h/live/k1", PullSource.of("rtmp://h/live", "k1").target().toString());
        assertEquals("rtmps://h/live/k1", PullSource.of("rtmps://h/live/", "k1").target().toString());
        assertEquals("rtmp://h/live/k1", PullSource.of("rtmp://h/live/k1", "k1").target().toString());
        assertEquals("rtmp://h/live", PullSource.of("rtmp://h/live", "").target().toString());
    }

    @Test
    void websocketKeyIsAQueryParameterOrABearerHeader() {
        assertEquals("wss://h/m?key=a%2Bb", PullSource.of("wss://h/m", "a+b").target().toString());
        assertEquals("ws://h/m?x=1&key=k", PullSource.of("ws://h/m?x=1", "k").target().toString());
        PullSource bearer = PullSource.of("ws://h/m", "k").withKeyPlacement(MediaKeyPlacement.BEARER_HEADER);
        assertEquals("ws://h/m", bearer.target().toString());
        assertEquals(Map.of("Authorization", "Bearer k"), bearer.headers());
    }

    @Test
    void theKeyIsNeverShown() {
        PullSource source = PullSource.of("wss://h/m", "a+b/c");
        assertFalse(source.toString().contains("a+b"), source.toString());
        assertFalse(source.toString().contains("a%2Bb"), source.toString());
        assertEquals("Connection to tcp://h/m?key=*** failed",
                source.redact("Connection to tcp://h/m?key=a%2Bb%2Fc failed"));
    }

    @Test
    void eachSourceKindHasTheClockOfWhatItCarries() {
        assertEquals(1_000, PullSource.of("rtmp://h/a", "").timescale());
        assertEquals(32, PullSource.of("rtmps://h/a", "").ptsBits());
        assertEquals(90_000, PullSource.of("srt://h:1?mode=caller", "").timescale());
        assertEquals(33, PullSource.of("https://h/live.m3u8", "").ptsBits());
        assertEquals(33, PullSource.of("ws://h/m", "").ptsBits());
        assertEquals(1_000, PullSource.of("ws://h/m", "").withWebSocketFormat("flv").timescale());
        assertThrows(IllegalArgumentException.class, () -> PullSource.of("file:///etc/passwd", ""));
        assertThrows(IllegalArgumentException.class, () -> PullSource.of("ws://h/m", "").withWebSocketFormat("mp4"));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));
        assertEquals(Duration.ofMillis(500), backoff.delay(1));
        assertEquals(Duration.ofSeconds(1), backoff.delay(2));
        assertEquals(Duration.ofSeconds(2), backoff.delay(3));
        assertEquals(Duration.ofSeconds(3), backoff.delay(4));
        assertEquals(Duration.ofSeconds(3), backoff.delay(1_000));
    }
}
