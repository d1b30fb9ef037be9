package io.livecap.ingest;

import io.livecap.testkit.WebSocketMediaServer;
import io.livecap.testkit.TestMedia;
import io.livecap.testkit.LiveEncoder;
import io.livecap.captions.Caption;
import io.livecap.client.CaptionClient;
import io.livecap.node.LivecapNode;
import io.livecap.session.StreamSession;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A pull stopped and started again on the same stream id (an operator's DELETE and POST, a REACH task resumed) is
 * the same event: its captions go on from where the first pull left the timeline.
 */
@Timeout(180)
class PullRestartTimelineTest {

    private static final String KEY = "timeline-key";
    private static final String ID = "pull-again";

    @TempDir
    Path dir;

    @Test
    void aPullStartedAgainKeepsStartIncreasingAndUtteranceAndSeqContinuing() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx())) {
            List<Caption> first = pullOnce(node, ts, false);
            List<Caption> second = pullOnce(node, ts, true);
            assertTrue(first.size() >= 2 && second.size() >= 2, "finals: " + first + " / " + second);
            Caption lastOfFirst = first.get(first.size() - 1);
            Caption firstOfSecond = second.get(0);
            assertTrue(firstOfSecond.seq() > lastOfFirst.seq(), "seq continues");
            assertEquals(lastOfFirst.utterance() + 1, firstOfSecond.utterance(), "utterance continues");
            assertTrue(firstOfSecond.startMs() >= lastOfFirst.endMs(), "start continues past the first"
                    + " pull's audio: " + firstOfSecond.startMs() + " after " + lastOfFirst.endMs());
            try (CaptionClient replay = new CaptionClient(node.url("/v1/captions/" + ID + "?from_seq=0"))) {
                replay.connect(5_000);
                replay.awaitEos(10_000);
                List<Caption> all = replay.finals();
                assertEquals(first.size() + second.size(), all.size());
                for (int i = 1; i < all.size(); i++) {
                    assertTrue(all.get(i).startMs() >= all.get(i - 1).endMs(), "overlap at seq " + all.get(i).seq());
                }
            }
        }
    }

    /** Pulls up to 8 s of the lecture from a live websocket source at {@code localhost}, then stops the pull. */
    private List<Caption> pullOnce(LivecapNode node, Path ts, boolean expectGap) throws Exception {
        int port = LiveEncoder.freePort();
        LiveEncoder encoder = LiveEncoder.start(ts, List.of("-t", "8", "-f", "mpegts"), "pipe:1",
                dir.resolve("enc.log"));
        try (CaptionClient captions = new CaptionClient(node.url("/v1/captions/" + ID));
             WebSocketMediaServer server = WebSocketMediaServer.start(port, KEY, encoder)) {
            captions.connect(5_000);
            node.sessions().openPull(ID, PullSource.of("ws://localhost:" + port + "/media/" + ID, KEY), "en-US",
                    null);
            if (expectGap) {
                Map<?, ?> gap = awaitGap(node);
                assertEquals("wall_clock", gap.get("measured_by"), "the encoder's clock started again: " + gap);
            }
            encoder.awaitExit(60); // the live source has sent its 8 s (the pull may have joined it late)
            awaitAudio(node, 3_000);
            assertTrue(node.sessions().stopPull(ID, "restarting the pull"));
            captions.awaitEos(60_000);
            return captions.finals();
        }
    }

    private static void awaitAudio(LivecapNode node, long audioMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            StreamSession session = node.sessions().get(ID).orElse(null);
            if (session != null && session.audioMs() >= audioMs && session.backlogMs() == 0) {
                return;
            }
            Thread.sleep(50); // polling a condition with a deadline
        }
        fail("the pull did not deliver " + audioMs + " ms of audio within 60 s");
    }

    private static Map<?, ?> awaitGap(LivecapNode node) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            StreamSession session = node.sessions().get(ID).orElse(null);
            if (session != null) {
                List<?> gaps = (List<?>) session.timingReport().get("gaps");
                if (!gaps.isEmpty()) {
                    return (Map<?, ?>) gaps.get(0);
                }
            }
            Thread.sleep(50); // polling a condition with a deadline
        }
        return fail("no gap reported within 30 s");
    }
}
