package io.livecap.session;

import io.livecap.asr.SpeechEngine;
import io.livecap.audio.ChannelStrategy;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.captions.LineBreaker;
import io.livecap.delivery.CaptionHub;
import io.livecap.ingest.Chunk;
import io.livecap.ingest.StreamStart;
import io.livecap.store.Database;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stream id's timeline across its sources, driven at the session level so that arrival times (the wall clock a
 * gap is measured by) and the expiry clock are the test's to set: no test waits 5 s or an hour for real.
 */
class StreamTimelineTest {

    private static final int RATE = 16_000;
    private static final int CLIP_MS = 8_000;
    private static final long T0 = 1_800_000_000_000L;
    private static final Duration EXPIRY = Duration.ofHours(1);
    private static byte[] clip;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.ofEpochMilli(T0);

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private record Node(Database db, JdbcCaptionStore store, Sessions sessions) implements AutoCloseable {
        static Node open(String url, Clock clock) {
            Database db = Database.open(url);
            JdbcCaptionStore store = new JdbcCaptionStore(db);
            SpeechEngine engine = TestEngines.pocketsphinx();
            return new Node(db, store, new Sessions(engine, new CaptionHub(store), LineBreaker.defaults(),
                    ChannelStrategy.parse("auto"), EXPIRY, clock));
        }

        @Override
        public void close() throws InterruptedException {
            sessions.endAll("shutdown");
            db.close();
        }
    }

    @BeforeAll
    static void readClip() throws Exception {
        short[] samples = Arrays.copyOf(WavAudio.read(SharedAudio.file(SharedAudio.LECTURE)).samples(),
                CLIP_MS * RATE / 1000);
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(samples);
        clip = bytes.array();
    }

    private static String memoryUrl() {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /** Starts a source on {@code streamId} and sends the clip in 100 ms chunks stamped as arriving in real time. */
    private static StreamSession feed(Sessions sessions, String streamId, long firstPts, long firstArrivalMs,
                                      CountDownLatch finished) {
        StreamSession session = sessions.open(streamId, new StreamStart(StreamStart.PCM, RATE, 1, 90_000, 33,
                "en-US", null), new SessionObserver() {
            @Override
            public void onFinished(long lastSeq) {
                finished.countDown();
            }

            @Override
            public void onFailed(String message) {
                fail("session failed: " + message);
            }
        });
        int chunkBytes = RATE / 10 * 2;
        for (int i = 0; i * chunkBytes < clip.length; i++) {
            session.offer(new Chunk(firstPts + i * 9_000L, firstArrivalMs + i * 100L,
                    Arrays.copyOfRange(clip, i * chunkBytes, (i + 1) * chunkBytes)));
        }
        return session;
    }

    private static void end(StreamSession session, CountDownLatch finished) throws InterruptedException {
        session.end("source disconnected");
        assertTrue(finished.await(60, TimeUnit.SECONDS), "session finished");
    }

    private static List<Caption> run(Sessions sessions, String streamId, long firstPts, long firstArrivalMs,
                                     boolean endsEvent, JdbcCaptionStore store) throws InterruptedException {
        long before = store.lastSeq(streamId);
        CountDownLatch finished = new CountDownLatch(1);
        StreamSession session = feed(sessions, streamId, firstPts, firstArrivalMs, finished);
        if (endsEvent) {
            session.markEventEnded();
        }
        end(session, finished);
        List<Caption> finals = store.finalsAfter(streamId, before);
        assertTrue(finals.size() >= 2, "finals: " + finals);
        return finals;
    }

    @Test
    void aSourceBackFiveSecondsLaterWithItsClockResetMovesStartOnByTheWallClock() throws Exception {
        try (Node node = Node.open(memoryUrl(), new MovableClock())) {
            List<Caption> first = run(node.sessions, "ev", 1_000_000, T0, false, node.store);
            long lastArrival = T0 + CLIP_MS - 100;

            CountDownLatch finished = new CountDownLatch(1);
            StreamSession resumed = feed(node.sessions, "ev", 0, lastArrival + 5_000, finished);
            Map<?, ?> gap = awaitGap(resumed);
            assertEquals("wall_clock", gap.get("measured_by"), "gap: " + gap);
            assertEquals(5_000L, ((Number) gap.get("length_ms")).longValue());
            end(resumed, finished);
            List<Caption> second = node.store.finalsAfter("ev", first.get(first.size() - 1).seq());

            Caption a = first.get(0);
            Caption b = second.get(0);
            assertEquals(a.text(), b.text(), "the same audio again");
            assertEquals(a.startMs() + CLIP_MS + 5_000, b.startMs());
            assertEquals(a.startEpoch() + CLIP_MS + 5_000 - 100, b.startEpoch(), "start_epoch is the arrival time");
            assertEquals(a.startMs() * 90, b.startPts(), "start_pts is the new source's own clock");
            assertEquals(first.get(first.size() - 1).utterance() + 1, b.utterance());
            assertNoOverlap(node.store.finalsAfter("ev", 0));
        }
    }

    @Test
    void anEndedStreamUsedAgainWithinItsExpiryContinuesAndAfterItStartsSessionTwo() throws Exception {
        MovableClock clock = new MovableClock();
        try (Node node = Node.open(memoryUrl(), clock)) {
            List<Caption> first = run(node.sessions, "ev", 0, T0, true, node.store);
            clock.advance(Duration.ofMinutes(10)); // a pull stopped by mistake and added again
            List<Caption> again = run(node.sessions, "ev", 0, T0 + 600_000, true, node.store);
            assertEquals(1, again.get(0).session());
            assertTrue(again.get(0).startMs() >= CLIP_MS + 590_000, "10 min later: " + again.get(0).startMs());
            assertEquals(first.get(first.size() - 1).utterance() + 1, again.get(0).utterance());

            clock.advance(EXPIRY); // the id is used for another event
            List<Caption> next = run(node.sessions, "ev", 0, T0 + 600_000 + EXPIRY.toMillis(), false, node.store);
            Caption n = next.get(0);
            assertEquals(2, n.session());
            assertEquals(first.get(0).startMs(), n.startMs(), "a new timeline starts at 0");
            assertEquals(1, n.utterance());
            assertTrue(n.seq() > again.get(again.size() - 1).seq(), "seq never repeats on an id");

            List<Caption> replay = node.store.finalsAfter("ev", 0);
            assertEquals(first.size() + again.size() + next.size(), replay.size());
            assertEquals(first.size() + again.size(), replay.stream().filter(c -> c.session() == 1).count());
            assertNoOverlap(replay.stream().filter(c -> c.session() == 1).toList());
            assertNoOverlap(replay.stream().filter(c -> c.session() == 2).toList());
        }
    }

    @Test
    void theTimelineSurvivesARestartOfLivecap(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("livecap");
        List<Caption> before;
        try (Node node = Node.open(url, new MovableClock())) {
            before = run(node.sessions, "ev", 0, T0, false, node.store);
        }
        try (Node node = Node.open(url, new MovableClock())) {
            List<Caption> after = run(node.sessions, "ev", 0, T0 + CLIP_MS + 30_000, false, node.store);
            Caption last = before.get(before.size() - 1);
            assertEquals(last.utterance() + 1, after.get(0).utterance());
            assertTrue(after.get(0).seq() > last.seq());
            assertEquals(before.get(0).startMs() + CLIP_MS + 30_100, after.get(0).startMs(),
                    "30.1 s between the last chunk's and the next one's arrival");
            assertNoOverlap(node.store.finalsAfter("ev", 0));
        }
    }

    private static void assertNoOverlap(List<Caption> finals) {
        for (int i = 1; i < finals.size(); i++) {
            assertTrue(finals.get(i).startMs() >= finals.get(i - 1).endMs(), "final " + finals.get(i).seq()
                    + " starts at " + finals.get(i).startMs() + ", before " + finals.get(i - 1).endMs());
            assertTrue(finals.get(i).utterance() >= finals.get(i - 1).utterance());
        }
    }

    private static Map<?, ?> awaitGap(StreamSession session) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            List<?> gaps = (List<?>) session.timingReport().get("gaps");
            if (!gaps.isEmpty()) {
                return (Map<?, ?>) gaps.get(0);
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
        return fail("no gap reported within 20 s");
    }
}
