package io.livecap.store;

import ch.qos.logback.classic.Level;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.config.ConfigException;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.CapturedLogs;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.TestConfig;
import io.livecap.timing.StreamTimeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code store.retention_days}: a sweep removes the finals stored before the cut-off and the rows of streams left
 * without any, keeps recent finals, and never touches a stream it is told to spare (a live one, an open REACH
 * task's). Rows are aged by setting their times, and the sweep runs on a fixed clock: no waiting for days.
 */
@Timeout(120)
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant OLD = NOW.minus(Duration.ofDays(40));
    private static final Instant RECENT = NOW.minus(Duration.ofDays(2));

    private Database db;
    private JdbcCaptionStore store;
    private JdbcDeliveryCheckpoints checkpoints;
    private JdbcStoredCaptions stored;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = new JdbcCaptionStore(db);
        checkpoints = new JdbcDeliveryCheckpoints(db);
        stored = new JdbcStoredCaptions(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theSweepRemovesOldFinalsKeepsRecentOnesAndSparedStreams() throws Exception {
        // "old": every final 40 days old, with its seq, timeline and checkpoint
        storeStream("old", 1, 3, OLD);
        store.issued("old", 4);
        store.saveTimeline("old", StreamTimeline.FIRST.movedTo(4, 3_000, null));
        checkpoints.confirm("old", "wss://kaltura.example/captions", 3);
        age("old", OLD);
        // "mixed": two old finals, then two recent ones
        storeStream("mixed", 1, 2, OLD);
        storeStream("mixed", 3, 4, RECENT);
        store.saveTimeline("mixed", StreamTimeline.FIRST.movedTo(5, 4_000, null));
        // "recent": two days old
        storeStream("recent", 1, 2, RECENT);
        // "live": as old as "old", but live (or an open REACH task's): spared
        storeStream("live", 1, 3, OLD);
        store.saveTimeline("live", StreamTimeline.FIRST.movedTo(4, 3_000, null));
        age("live", OLD);
        // "partials-only": a stream that only ever issued partials, long ago
        store.issued("partials-only", 7);
        age("partials-only", OLD);

        RetentionSweeper sweeper = new RetentionSweeper(stored, Duration.ofDays(30), () -> Set.of("live"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        JdbcStoredCaptions.Swept swept;
        try (CapturedLogs logs = new CapturedLogs()) {
            swept = sweeper.sweep();
            assertEquals(1, logs.lines(Level.INFO, "retention: removed 5 finals of 2 streams").size(), logs.lines().toString());
        }
        assertEquals(5, swept.finals(), swept.toString()); // 3 of old, 2 of mixed
        assertEquals(2, swept.streams());
        assertEquals(1, swept.timelines(), "old's: mixed still has finals, live is spared");
        assertEquals(2, swept.seqs(), "old's and partials-only's");
        assertEquals(1, swept.checkpoints());

        assertEquals(List.of(), store.finalsAfter("old", 0));
        assertEquals(0, store.lastSeq("old"), "nothing of old is left");
        assertEquals(StreamTimeline.FIRST, store.timeline("old"));
        assertEquals(0, checkpoints.confirmedSeq("old", "wss://kaltura.example/captions"));
        assertEquals(0, store.lastSeq("partials-only"));

        assertEquals(List.of(3L, 4L), store.finalsAfter("mixed", 0).stream().map(Caption::seq).toList());
        assertEquals(5, store.timeline("mixed").nextUtterance(), "mixed keeps its timeline");
        assertEquals(2, store.finalsAfter("recent", 0).size());
        assertEquals(3, store.finalsAfter("live", 0).size(), "a spared stream keeps everything");
        assertEquals(4, store.timeline("live").nextUtterance());

        Map<String, Long> counts = new java.util.TreeMap<>();
        stored.list(null, 100).forEach(s -> counts.put(s.streamId(), s.finals()));
        assertEquals(Map.of("live", 3L, "mixed", 2L, "recent", 2L), counts);
        assertTrue(sweeper.sweep().nothing(), "a second sweep finds nothing more");
    }

    @Test
    void aSweepOnANodeSparesTheLiveStreamAndRetentionZeroKeepsForEver() throws Exception {
        try (LivecapNode off = LivecapNode.start(TestConfig.local(Map.of("store.retention_days", "0")),
                ScriptedSpeechEngine.of("hello@100-400"))) {
            assertTrue(off.retention().isEmpty(), "retention_days 0: no sweeper");
        }
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), ScriptedSpeechEngine.of("hello@100-400"))) {
            RetentionSweeper sweeper = node.retention().orElseThrow();
            CaptionClient captions = new CaptionClient(node.url("/v1/captions/on-air"));
            captions.connect(10_000);
            IngestClient source = new IngestClient(node.url("/v1/ingest/on-air"));
            source.connect(10_000);
            AudioFeeder feeder = new AudioFeeder();
            AudioFeeder.Source audio = AudioFeeder.of(new short[16_000 * 2], 16_000, 1);
            source.start(feeder.startMessage(audio), 10_000);
            feeder.feedChunks(audio, source, false);
            awaitFinal(captions);

            // a cut-off in the future: everything is "old", but the stream is live
            Instant future = Instant.now().plus(Duration.ofDays(1));
            assertEquals(0, sweeper.sweep(future).finals(), "a live stream is spared");
            source.eos();
            captions.awaitEos(30_000);
            source.close();
            captions.close();
            awaitEnded(node, "on-air");
            JdbcStoredCaptions.Swept swept = sweeper.sweep(future);
            assertEquals(1, swept.finals(), "ended, it is swept: " + swept);
            assertFalse(node.sessions().get("on-air").isPresent());
        }
    }

    @Test
    void theSettingsDefaultToThirtyDaysSweptHourly() {
        LivecapConfig.Store defaults = LivecapConfig.defaults().store();
        assertEquals(30, defaults.retentionDays());
        assertEquals(60, defaults.retentionSweepMinutes());
        assertThrows(ConfigException.class, () -> TestConfig.local(Map.of("store.retention_days", "-1")));
        assertThrows(ConfigException.class, () -> TestConfig.local(Map.of("store.retention_sweep_minutes", "0")));
    }

    private static void awaitFinal(CaptionClient captions) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (captions.finals().isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no final: " + captions.received());
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    private static void awaitEnded(LivecapNode node, String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (node.sessions().get(id).isPresent()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(id + " never ended");
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    private void storeStream(String id, long fromSeq, long toSeq, Instant storedAt) throws Exception {
        for (long seq = fromSeq; seq <= toSeq; seq++) {
            store.append(new Caption(id, seq, true, seq, "caption " + seq, List.of("caption " + seq),
                    (seq - 1) * 1000, seq * 1000, storedAt.toEpochMilli(), 0, List.of(), "en-US"));
            try (Connection c = db.connection(); PreparedStatement update = c.prepareStatement(
                    "UPDATE final_caption SET stored_at = ? WHERE stream_id = ? AND seq = ?")) {
                update.setObject(1, OffsetDateTime.ofInstant(storedAt, ZoneOffset.UTC));
                update.setString(2, id);
                update.setLong(3, seq);
                update.executeUpdate();
            }
        }
    }

    /** The stream's other rows last written at {@code at}. */
    private void age(String id, Instant at) throws Exception {
        for (String table : List.of("stream_seq", "stream_timeline", "caption_delivery")) {
            try (Connection c = db.connection(); PreparedStatement update = c.prepareStatement(
                    "UPDATE " + table + " SET updated_at = ? WHERE stream_id = ?")) {
                update.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                update.setString(2, id);
                update.executeUpdate();
            }
        }
    }
}
