package io.livecap.alerts;

import ch.qos.logback.classic.Level;
import io.livecap.testkit.CapturedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The board's bookkeeping: one raise per active alert, the WARN line rate-limited, the metrics kept true. */
class AlertBoardTest {

    @Test
    void anAlertFlappingWithinTheLogIntervalIsCountedEachTimeButLoggedOnce() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        AlertBoard board = new AlertBoard(metrics, Clock.fixed(Instant.parse("2026-12-02T01:00:00Z"), ZoneOffset.UTC));
        try (CapturedLogs logs = new CapturedLogs()) {
            assertTrue(board.raise(AlertKind.NO_MEDIA, "ev1", "no audio for 60 s"));
            assertFalse(board.raise(AlertKind.NO_MEDIA, "ev1", "no audio for 61 s"), "already active");
            assertEquals(1, metrics.get("livecap.alerts.active").tag("kind", "no_media").gauge().value());
            assertTrue(board.clear(AlertKind.NO_MEDIA, "ev1"));
            assertEquals(0, metrics.get("livecap.alerts.active").tag("kind", "no_media").gauge().value());
            assertTrue(board.raise(AlertKind.NO_MEDIA, "ev1", "no audio for 60 s"));
            assertTrue(board.raise(AlertKind.NO_MEDIA, "ev2", "no audio for 60 s"));
            assertEquals(3, metrics.get("livecap.alerts").tag("kind", "no_media").counter().count());
            assertEquals(1, logs.lines(Level.WARN, "alert no_media on ev1").size(), logs.lines().toString());
            assertEquals(1, logs.lines(Level.WARN, "alert no_media on ev2").size());
        }
        assertEquals(0, metrics.get("livecap.alerts.active").tag("kind", "low_confidence").gauge().value(),
                "every kind is listed before its first alert");
    }
}
