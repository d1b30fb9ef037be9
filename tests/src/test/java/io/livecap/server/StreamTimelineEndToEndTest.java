package io.livecap.server;

import io.livecap.node.LivecapNode;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.session.StreamSession;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One stream id is one event with one timeline: an encoder that comes back (after eos, or after dropping without
 * one) goes on from where the last left it - start, utterance and seq - and a replay from 0 reads as one event.
 */
class StreamTimelineEndToEndTest {

    private static final int RATE = 16_000;
    private static final long CLIP_MS = 10_000;

    private static AudioFeeder.Source clip() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        return AudioFeeder.of(Arrays.copyOf(lecture.samples(), (int) (CLIP_MS * RATE / 1000)), RATE, 1);
    }

    @Test
    void feedingAStreamAgainContinuesItsTimelineInsteadOfRestartingIt() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx())) {
            AudioFeeder.Source audio = clip();
            List<Caption> first = new StreamRun(node, "x", new AudioFeeder()).open(audio).feedAll(audio).finals();
            audio = clip();
            List<Caption> second = new StreamRun(node, "x", new AudioFeeder()).open(audio).feedAll(audio).finals();
            assertTrue(first.size() >= 2 && second.size() >= 2, "finals: " + first.size() + ", " + second.size());
            Caption lastOfFirst = first.get(first.size() - 1);
            Caption firstOfSecond = second.get(0);
            assertTrue(firstOfSecond.seq() > lastOfFirst.seq(), "seq continues");
            assertEquals(lastOfFirst.utterance() + 1, firstOfSecond.utterance(), "utterance continues");
            assertTrue(firstOfSecond.startMs() >= CLIP_MS, "start continues after the first source's 10 s: "
                    + firstOfSecond.startMs());
            assertEquals(1, firstOfSecond.session());
            assertTrue(firstOfSecond.startPts() < CLIP_MS * 90, "start_pts is the new source's own clock: "
                    + firstOfSecond.startPts());
            assertReplayIsOneTimeline(node, "x", first.size() + second.size());
        }
    }

    @Test
    void aPushDroppedAndResumedFiveSecondsLaterKeepsStartIncreasing() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx())) {
            AudioFeeder.Source audio = clip();
            StreamRun dropped = new StreamRun(node, "drop", new AudioFeeder()).open(audio);
            new AudioFeeder().feedChunks(audio, dropped.source(), false);
            StreamRun.awaitAudio(node, "drop", CLIP_MS); // all of it arrived: what a vanishing socket drops is not the point
            dropped.source().vanish(); // the encoder's network went away: no eos
            dropped.captions().awaitEos(60_000);
            List<Caption> before = dropped.finals();

            // it comes back with its clock still running: 5 s of media later than where it stopped
            long resumePts = (CLIP_MS + 5_000) * 90;
            AudioFeeder resumedFeeder = new AudioFeeder().ptsStart(resumePts);
            audio = clip();
            StreamRun resumed = new StreamRun(node, "drop", resumedFeeder).open(audio);
            resumedFeeder.feedChunks(audio, resumed.source(), false);
            Map<?, ?> gap = awaitGap(node, "drop");
            assertEquals(5_000L, ((Number) gap.get("length_ms")).longValue(), "gap: " + gap);
            assertEquals(CLIP_MS, ((Number) gap.get("at")).longValue(), "gap: " + gap);
            assertEquals("pts", gap.get("measured_by"));
            resumed.source().eos();
            resumed.captions().awaitEos(60_000);
            List<Caption> after = resumed.finals();

            assertTrue(before.size() >= 2 && after.size() >= 2, "finals: " + before.size() + ", " + after.size());
            assertEquals(before.get(before.size() - 1).utterance() + 1, after.get(0).utterance());
            assertEquals(before.get(before.size() - 1).seq() + 1 <= after.get(0).seq(), true);
            // the same audio again, 15 s further on the timeline
            assertEquals(before.get(0).startMs() + CLIP_MS + 5_000, after.get(0).startMs());
            assertEquals(resumePts + before.get(0).startMs() * 90, after.get(0).startPts());
            assertReplayIsOneTimeline(node, "drop", before.size() + after.size());
        }
    }

    @Test
    void anEosWithEndEventEndsTheEventWhileAPlainEosDoesNot() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx())) {
            AudioFeeder.Source audio = clip();
            new StreamRun(node, "ends", new AudioFeeder()).open(audio).feedAll(audio);
            assertFalse(node.sessions().hub().store().timeline("ends").isEnded(), "a source went away, not the event");
            audio = clip();
            StreamRun last = new StreamRun(node, "ends", new AudioFeeder()).open(audio);
            new AudioFeeder().feedChunks(audio, last.source(), false);
            last.source().sendText("{\"type\":\"eos\",\"end_event\":true}");
            last.captions().awaitEos(60_000);
            assertTrue(node.sessions().hub().store().timeline("ends").isEnded());
            assertEquals(1, node.sessions().hub().store().timeline("ends").session());
        }
    }

    /** A replay from 0 holds every final once, in seq order, none overlapping another, utterances never going back. */
    static void assertReplayIsOneTimeline(LivecapNode node, String streamId, int finals) throws Exception {
        try (CaptionClient replay = new CaptionClient(node.url("/v1/captions/" + streamId + "?from_seq=0"))) {
            replay.connect(5_000);
            replay.awaitEos(10_000);
            List<Caption> all = replay.finals();
            assertEquals(finals, all.size());
            for (int i = 1; i < all.size(); i++) {
                Caption previous = all.get(i - 1);
                Caption next = all.get(i);
                assertTrue(next.seq() > previous.seq());
                assertTrue(next.startMs() >= previous.endMs(), "final " + next.seq() + " starts at " + next.startMs()
                        + " before final " + previous.seq() + " ended at " + previous.endMs());
                assertTrue(next.utterance() >= previous.utterance(), "utterance went back at seq " + next.seq());
                assertEquals(previous.session(), next.session());
            }
        }
    }

    private static Map<?, ?> awaitGap(LivecapNode node, String streamId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            StreamSession session = node.sessions().get(streamId).orElse(null);
            if (session != null) {
                List<?> gaps = (List<?>) session.timingReport().get("gaps");
                if (!gaps.isEmpty()) {
                    assertFalse(gaps.size() > 1, "one gap: " + gaps);
                    return (Map<?, ?>) gaps.get(0);
                }
            }
            Thread.sleep(20); // polling a condition with a deadline, not waiting for time to pass
        }
        return fail("no gap reported on stream " + streamId + " within 20 s");
    }
}
